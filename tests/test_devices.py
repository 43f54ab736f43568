"""``moncompte check --appareil`` / ``--viewport``: the browser context of the device asked for."""

from __future__ import annotations

import pytest

from moncompte.steps.drivers.browser_pytest import DESKTOP, describe_device, device_options

DEVICES = {
    "Pixel 7": {
        "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 7)",
        "viewport": {"width": 412, "height": 839},
        "device_scale_factor": 2.625,
        "is_mobile": True,
        "has_touch": True,
        "default_browser_type": "chromium",
    },
    "iPhone 13": {"viewport": {"width": 390, "height": 664}, "default_browser_type": "webkit"},
}


def test_a_playwright_device_gives_its_whole_context_but_the_browser_type():
    options = device_options(DEVICES, "Pixel 7", None)
    assert options["viewport"] == {"width": 412, "height": 839} and options["is_mobile"] and options["has_touch"]
    assert "default_browser_type" not in options
    assert describe_device("Pixel 7", options) == "Pixel 7 (412 × 839)"


def test_a_bare_viewport_and_the_default_desktop():
    assert device_options(DEVICES, None, "360x740") == {"viewport": {"width": 360, "height": 740}}
    assert describe_device(None, device_options(DEVICES, None, "360x740")) == "360 × 740"
    assert device_options(DEVICES, None, None) == DESKTOP
    assert describe_device(None, DESKTOP) == "bureau (1280 × 900)"


@pytest.mark.parametrize(
    "name, size, said",
    [
        ("Pixel 77", None, "appareil inconnu : « Pixel 77 » (par exemple : Pixel 7)"),
        (None, "360 par 740", "taille d'écran invalide : « 360 par 740 » (attendu : LARGEURxHAUTEUR, ex. 360x740)"),
        (None, "0x740", "taille d'écran invalide"),
    ],
)
def test_an_unknown_device_or_a_bad_size_is_a_french_error(name, size, said):
    with pytest.raises(ValueError) as error:
        device_options(DEVICES, name, size)
    assert said in str(error.value)


def test_bureau_is_the_desktop_window_to_ask_for_besides_a_phone():
    assert device_options(DEVICES, "bureau", None) == DESKTOP


def test_more_devices_each_in_their_own_folder_and_results_that_say_which():
    import argparse

    from moncompte.harness.check import device_folder, more_devices, on_device
    from moncompte.harness.check import device_options as run_options

    args = argparse.Namespace(appareil=["bureau", "Pixel 7", "iPhone 13 Pro Max"], viewport=None)
    assert run_options(args) == ["--appareil", "bureau"]  # the whole suite on the first
    assert more_devices(args) == ["Pixel 7", "iPhone 13 Pro Max"]  # the accessibility rules on these too
    assert [device_folder(d) for d in more_devices(args)] == ["browser-pixel-7", "browser-iphone-13-pro-max"]
    results = [{"nodeid": "test_conformite.py::test_a", "scenario": "Au clavier"}]
    on_device(results, "Pixel 7 (412 × 839)", distinct=True)
    assert results == [
        {
            "nodeid": "test_conformite.py::test_a@Pixel 7 (412 × 839)",
            "scenario": "Au clavier — Pixel 7 (412 × 839)",
            "device": "Pixel 7 (412 × 839)",
        }
    ]
