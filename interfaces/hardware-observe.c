/* SPDX-License-Identifier: GPL-3.0-only
 * hardware-observe: read hardware information (sysfs, /proc hardware files, udev database,
 * kobject uevents).
 */
#include "iface-internal.h"

#include "banned.h"

static const char apparmor[] =
    "# Description: Can query hardware information.\n"
    "capability sys_rawio,\n"
    "/sys/{block,bus,class,devices,firmware,dev,kernel/mm,power}/{,**} r,\n"
    "/sys/module/{,**} r,\n"
    "@{PROC}/{bus,driver,dma,interrupts,iomem,ioports,irq,mtrr,scsi,sys/dev,tty}/{,**} r,\n"
    "@{PROC}/{cpuinfo,devices,meminfo,modules,partitions,softirqs} r,\n"
    "/run/udev/data/{,**} r,\n"
    "/etc/udev/udev.conf r,\n"
    "/{,usr/}lib/udev/hwdb.bin r,\n"
    "/etc/udev/hwdb.bin r,\n"
    "/usr/share/{hwdata,misc,pci.ids,usb.ids}/{,**} r,\n"
    "/{,usr/}{,s}bin/{lspci,lsusb,lshw,lscpu,lsblk,udevadm} ixr,\n"
    "network netlink raw,\n";

static const char seccomp[] =
    "# Description: Can query hardware information.\n"
    "# lspci and other tools reading I/O ports\n"
    "iopl\n"
    "ioperm\n"
    "# udevadm monitor\n"
    "bind\n"
    "socket AF_NETLINK - NETLINK_KOBJECT_UEVENT\n";

static const struct iface_fs_spec fs[] = {
    {"/sys", IFACE_FS_READ, false, false},
    {"/run/udev/data", IFACE_FS_READ, true, false},
    {"/etc/udev", IFACE_FS_READ, true, false},
    {"/usr/share/hwdata", IFACE_FS_READ, true, false},
    {"/usr/share/misc", IFACE_FS_READ, true, false},
    {NULL, 0, false, false},
};

const struct iface_def iface_def_hardware_observe = {
    .name = "hardware-observe",
    .summary = "allows reading information about system hardware",
    .decl = IFACE_DECL_SYSTEM(IFACE_AUTO_NO),
    .plug = {.apparmor = apparmor, .seccomp = seccomp, .fs = fs},
};
