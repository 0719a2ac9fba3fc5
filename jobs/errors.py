class JobError(Exception):
    """A job cannot succeed with what it was given (bad input, a rule refused it). Its message
    is for people and is shown as is; it is not retried, since trying again would fail again."""
