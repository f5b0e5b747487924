import sys

try:
    from generator.cli import main
except ImportError as exc:  # run with a Python that lacks the dependencies (not the project's .venv)
    print(
        f"Der Generator braucht seine Pakete ({exc.name} fehlt): .venv/bin/python -m generator … verwenden "
        "(einmal `make site` legt .venv an), oder make check / make site.",
        file=sys.stderr,
    )
    sys.exit(2)

sys.exit(main())
