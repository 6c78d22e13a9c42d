/* SPDX-License-Identifier: GPL-3.0-only
 * gpio: one GPIO pin through the sysfs GPIO interface, named by the slot's `number`. The
 * daemon exports the pin (policy export entry) before the plug's apps run.
 */
#include <errno.h>
#include <stdio.h>

#include "iface-internal.h"

#include "banned.h"

/* the global sysfs GPIO number space (dynamic bases start at 512 on current kernels) */
static const struct iface_attr_spec slot_attrs[] = {
    {"number", IFACE_A_INT, true, 0, 65535, NULL, "GPIO number in the sysfs number space"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

static int connected_plug(const struct iface_def *d, const struct iface_connection *c,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err) {
    int64_t n = 0;
    if (iface_attr_int(iface_end_attr(&c->slot, "number"), &n) < 0) {
        return iface_end_fail(&c->slot, err, -EINVAL, "attribute 'number' is required");
    }
    char node[64], value[24];
    (void)snprintf(node, sizeof(node), "/sys/class/gpio/gpio%lld", (long long)n);
    (void)snprintf(value, sizeof(value), "%lld", (long long)n);
    sn_strbuf_addf(&out->apparmor,
                   "# gpio: slot '%s:%s'\n"
                   "/sys/class/gpio/gpio%lld/* rwk,\n"
                   "/sys/devices/**/gpio%lld/* rwk,\n",
                   iface_end_instance(&c->slot), c->slot.name, (long long)n, (long long)n);
    iface_policy_add_fs(out, node, IFACE_FS_RW, true);
    iface_policy_add_export(out, "/sys/class/gpio", value, node);
    return 0;
}

const struct iface_def iface_def_gpio = {
    .name = "gpio",
    .summary = "allows access to specific GPIO pin",
    .decl = IFACE_DECL_GADGET,
    .slot_attrs = slot_attrs,
    .connected_plug = connected_plug,
};
