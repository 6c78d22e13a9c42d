/* SPDX-License-Identifier: GPL-3.0-only
 * pwm: one PWM channel, named by the slot's `chip-number` and `channel`. The daemon exports
 * the channel (policy export entry) before the plug's apps run.
 */
#include <errno.h>
#include <stdio.h>

#include "iface-internal.h"

#include "banned.h"

static const struct iface_attr_spec slot_attrs[] = {
    {"chip-number", IFACE_A_INT, true, 0, 65535, NULL, "PWM chip (`/sys/class/pwm/pwmchipN`)"},
    {"channel", IFACE_A_INT, true, 0, 65535, NULL, "channel of that chip"},
    {NULL, 0, false, 0, 0, NULL, NULL},
};

static int connected_plug(const struct iface_def *d, const struct iface_connection *c,
                          const struct iface_env *env, struct iface_policy *out,
                          struct sn_err *err) {
    int64_t chip = 0, ch = 0;
    if (iface_attr_int(iface_end_attr(&c->slot, "chip-number"), &chip) < 0 ||
        iface_attr_int(iface_end_attr(&c->slot, "channel"), &ch) < 0) {
        return iface_end_fail(&c->slot, err, -EINVAL,
                              "attributes 'chip-number' and 'channel' "
                              "are required");
    }
    char dir[64], node[96], value[24];
    (void)snprintf(dir, sizeof(dir), "/sys/class/pwm/pwmchip%lld", (long long)chip);
    (void)snprintf(node, sizeof(node), "%s/pwm%lld", dir, (long long)ch);
    (void)snprintf(value, sizeof(value), "%lld", (long long)ch);
    sn_strbuf_addf(&out->apparmor,
                   "# pwm: slot '%s:%s'\n"
                   "%s/* rwk,\n"
                   "/sys/devices/**/pwmchip%lld/pwm%lld/* rwk,\n",
                   iface_end_instance(&c->slot), c->slot.name, node, (long long)chip,
                   (long long)ch);
    iface_policy_add_fs(out, node, IFACE_FS_RW, true);
    iface_policy_add_export(out, dir, value, node);
    return 0;
}

const struct iface_def iface_def_pwm = {
    .name = "pwm",
    .summary = "allows access to specific PWM channel",
    .decl = IFACE_DECL_GADGET,
    .slot_attrs = slot_attrs,
    .connected_plug = connected_plug,
};
