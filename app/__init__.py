"""app: the command line (and, later, the Gradio app) over the shared engine."""
