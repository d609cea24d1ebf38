/* SPDX-License-Identifier: MIT */
#ifndef PAT_VERSION_H
#define PAT_VERSION_H

#define PA_VERSION "0.1.0"

#endif
