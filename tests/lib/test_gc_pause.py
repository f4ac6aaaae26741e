"""A render pauses cyclic garbage collection and leaves it as it found it."""

import gc

import pytest

from solna_sn.lib import gc_pause
from solna_sn.lib import pdf as pdflib


@pytest.fixture
def collector():
    enabled = gc.isenabled()
    yield
    gc.enable() if enabled else gc.disable()


def test_render_html_leaves_collection_on_or_off_as_it_was(tmp_path, collector):
    html = (
        "<!DOCTYPE html><html lang='sv'><head><title>T</title></head><body><p>a</p></body></html>"
    )
    gc.enable()
    assert pdflib.render_html(html, base_dir=tmp_path).pages == 1
    assert gc.isenabled()
    gc.disable()
    pdflib.render_html(html, base_dir=tmp_path)
    assert not gc.isenabled()


def test_collection_is_paused_inside_and_restored_after_an_error(collector):
    gc.enable()
    with pytest.raises(ZeroDivisionError), gc_pause.paused():
        assert not gc.isenabled()
        1 / 0  # noqa: B018
    assert gc.isenabled()
