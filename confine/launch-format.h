/* SPDX-License-Identifier: GPL-3.0-only
 * launch-format.h: the token codec and name rules of the launch description
 * (ROOT/var/lib/snapd/confine/<tag>.launch, docs/confinement.md "Launch description").
 *
 * Shared by the writer (snapd-c/security, in the daemon) and the parser (snapc-confine), so
 * both sides agree byte for byte. No allocation, no I/O.
 *
 * A line is "key token token ...", tokens separated by one space. In a token every byte
 * <= 0x20, 0x7f and '%' is written as %XX (upper-case hex); every other byte, including
 * UTF-8 and other bytes >= 0x80, is written as is. Decoding is strict: only that canonical
 * form is accepted and a decoded NUL is refused.
 */
#ifndef CF_LAUNCH_FORMAT_H
#define CF_LAUNCH_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#define CF_LAUNCH_MAGIC     "snapc-launch"
#define CF_LAUNCH_VERSION   1
#define CF_LAUNCH_MAX_SIZE  (256 * 1024)
#define CF_LAUNCH_MAX_LINE  8192
#define CF_LAUNCH_MAX_EXEC  16
#define CF_LAUNCH_MAX_ARGS  256
#define CF_LAUNCH_MAX_ENV   512
#define CF_LAUNCH_MAX_FS    512
#define CF_LAUNCH_MAX_NET   256
#define CF_LAUNCH_MAX_DEV   512
#define CF_LAUNCH_MAX_MOUNT 128

/* Landlock rule letters in "fs" lines. */
#define CF_FS_READ   (1u << 0) /* r: read files, list directories */
#define CF_FS_WRITE  (1u << 1) /* w: write, truncate, create and remove entries, refer */
#define CF_FS_EXEC   (1u << 2) /* x: execute */
#define CF_FS_DEVICE (1u << 3) /* d: ioctl on device nodes (Landlock ABI >= 5) */
#define CF_FS_MAKE   (1u << 4) /* m: create sockets, fifos, symlinks */

/* Marker of the host-root development mode in the "base" field. */
#define CF_BASE_HOST "@host"

/* Whether byte c must be escaped in a token. */
static inline bool cf_token_byte_escaped(unsigned char c) {
    return c <= 0x20 || c == 0x7f || c == '%';
}
/* Bytes needed to encode n input bytes (worst case), without the NUL. */
#define CF_TOKEN_ENC_MAX(n) ((n)*3)
/* Encode len bytes of s into out (size >= CF_TOKEN_ENC_MAX(len) + 1); returns the length. */
size_t cf_token_encode(const char *s, size_t len, char *out);
/* Decode a token of len bytes in place (the result is shorter or equal) and NUL-terminate it.
 * Returns the decoded length, or -EINVAL for a non-canonical escape or an embedded NUL. */
int cf_token_decode(char *tok, size_t len);

/* Name rules (snapd's snap/naming). */
bool cf_valid_snap_name(const char *s);
bool cf_valid_instance_key(const char *s);
bool cf_valid_app_name(const char *s);
bool cf_valid_hook_name(const char *s);
/* x1, x23, 1, 42: local or store revision, at most 12 characters. */
bool cf_valid_revision(const char *s);
/* Split "snap.NAME[_KEY].APP" or "snap.NAME[_KEY].hook.HOOK". On success the buffers hold
 * the instance name, the app (or hook) name and *is_hook is set. */
bool cf_parse_tag(const char *tag, char instance[64], char app[64], bool *is_hook);
/* An absolute path without "." or ".." components, "//", or a trailing "/" (except "/"). */
bool cf_clean_abs_path(const char *p);

#endif
