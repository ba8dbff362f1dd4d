"""Start the web app: ``python app.py`` — the same as ``jxai serve`` (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT)."""

import sys

if __name__ == "__main__":
    try:
        # Imported here: a broken corpus/facts.yaml fails while the app's modules load, and names the file and key.
        from jxai_assistant.web.settings import serve

        serve()
    except ValueError as exc:
        sys.exit(str(exc))
