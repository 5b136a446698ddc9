"""The set-up wizard's USB printer scan, on pyusb's device objects (and on this machine's bus)."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.setup_checks import scan_usb_printers


@dataclass
class Interface:
    bInterfaceClass: int  # pyusb's names


@dataclass
class Device:
    idVendor: int
    idProduct: int
    classes: list[int] = field(default_factory=list)
    manufacturer: str | None = None
    product: str | None = None
    bDeviceClass: int = 0
    locked: bool = False

    def __iter__(self):
        yield [Interface(c) for c in self.classes]

    def __getattribute__(self, name):
        if name in ("manufacturer", "product") and object.__getattribute__(self, "locked"):
            raise ValueError("The device has no langid (permission denied)")
        return object.__getattribute__(self, name)


def finder(*devices):
    def find(find_all: bool = False):
        assert find_all
        return list(devices)

    return find


def test_printers_are_found_by_class_or_maker_and_other_devices_left_out():
    scan = scan_usb_printers(
        finder(
            Device(0x046D, 0xC52B, [3], "Logitech", "Receiver"),  # a keyboard: not a printer
            Device(0x04B8, 0x0202, [255], "EPSON", "TM-T20II"),  # by maker, vendor class
            Device(0x1234, 0x5678, [7], None, None),  # any maker, printer class
            Device(0x0416, 0x5011, [7], locked=True),  # its strings may not be read
        )
    )
    assert [(p.spec, p.name) for p in scan.printers] == [
        ("usb://0416:5011", "Winbond (generic) printer"),
        ("usb://04b8:0202", "EPSON TM-T20II"),
        ("usb://1234:5678", "USB printer"),
    ]
    assert scan.message == "Found 3 USB printers."
    assert scan.printers[1].label == "EPSON TM-T20II (usb://04b8:0202)"


def test_none_plugged_in_says_what_to_do():
    scan = scan_usb_printers(finder(Device(0x046D, 0xC52B, [3])))
    assert scan.printers == []
    assert scan.message.startswith("No USB ticket printer is plugged in")
    assert "network printer" in scan.message


def test_no_usb_library_is_a_reason_not_a_crash():
    def find(find_all=False):
        raise LookupError("No backend available")

    scan = scan_usb_printers(find)
    assert scan.printers == [] and "libusb-1.0" in scan.message


def test_this_machines_bus_can_be_scanned():
    scan = scan_usb_printers()  # real pyusb and libusb: whatever is plugged in, no exception
    assert isinstance(scan.printers, list)
    assert scan.message
