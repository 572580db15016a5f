"""Review and teach: a local workbench where people correct labels and the model learns from them.

``store`` keeps the project file (SQLite), ``queue`` orders statements to teach the
model fastest, ``app`` serves the keyboard-first labels view, ``teach`` retrains on
the team's decisions (``teach_codebook``: the team's own codebook fields),
``agreement`` compares coders, ``export`` writes Excel and REFI-QDA (.qdpx).
"""
