/* SPDX-License-Identifier: GPL-3.0-only
 * banned.h: functions that are easy to misuse, made compile errors (after git's banned.h).
 * Include it last, after every other header, in each .c file.
 */
#ifndef SN_BANNED_H
#define SN_BANNED_H

#define SN_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) SN_BANNED(strcpy)
#undef strcat
#define strcat(x, y) SN_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) SN_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) SN_BANNED(strncat)
#undef strtok
#define strtok(x, y) SN_BANNED(strtok)
#undef sprintf
#define sprintf(...) SN_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) SN_BANNED(vsprintf)
#undef gets
#define gets(x) SN_BANNED(gets)

#endif
