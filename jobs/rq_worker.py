"""RQ's worker, with a stop that does not hang (used by `manage.py worker` on Redis).

RQ's worker listens for commands on a pub/sub channel in a thread that redis-py wakes every
60 s. On a warm stop RQ unsubscribes first and then stops the thread; with redis-py 8, whose
`stop()` waits for the thread, the stop takes up to those 60 s whenever the thread has handled
Redis' answer to the unsubscribe before being told to stop (about one stop in four). Telling it
first, then unsubscribing, lets that answer wake it straight into leaving.
"""

from __future__ import annotations

from rq.worker import Worker as RQWorker


class Worker(RQWorker):
    def unsubscribe(self) -> None:
        thread = getattr(self, "pubsub_thread", None)
        if not thread:
            return
        try:
            thread.stop(timeout=0)  # only clears its running flag: it leaves when next awake
        except TypeError:  # redis-py before 8: stop() never waited
            thread.stop()
        self.pubsub.unsubscribe()  # Redis' answer wakes it at once
        thread.join(timeout=5)  # it closes its connection as it leaves
