"""app: the command line and the Gradio app over the shared engine."""
