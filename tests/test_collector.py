"""leaflets.collector: the collector's settings are put back after the work, even when it fails,
and a thread other than the main one leaves them alone."""

from __future__ import annotations

import gc
import threading

import pytest

from leaflets.collector import THRESHOLD, fewer_collections


def test_inside_less_often_and_what_existed_frozen_then_as_before():
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with fewer_collections():
        assert gc.get_threshold()[0] == THRESHOLD
        assert gc.get_freeze_count() > frozen
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_put_back_when_the_work_fails():
    before = gc.get_threshold()
    with pytest.raises(ZeroDivisionError), fewer_collections():
        _ = 1 / 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_worker_thread_changes_nothing():
    before, seen = gc.get_threshold(), []

    def work():
        with fewer_collections():
            seen.append(gc.get_threshold())

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [before]
    assert gc.get_threshold() == before
