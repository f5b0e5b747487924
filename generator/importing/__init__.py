"""Layer 5, importing: a council information system's public record over OParl (1.0 and 1.1), written as the same
YAML files editors write. Beside :mod:`generator.editing`; imports only the records and site layers."""
