"""What every app uses: spreadsheets in and out, and who a history record names.

Nothing here imports an app of the project, so every app may import it.
"""
