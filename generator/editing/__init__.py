"""Layer 5, the editors' tools: the live preview and its server, new records and new site folders, the JSON
schemas and the demo data. They call the same stages as a build (:mod:`generator.pipeline`)."""
