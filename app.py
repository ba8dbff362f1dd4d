"""Start the web app: ``python app.py`` — the same as ``jxai serve`` (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT)."""

import sys

from jxai_assistant.web.settings import serve

if __name__ == "__main__":
    try:
        serve()
    except ValueError as exc:
        sys.exit(str(exc))
