/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_COMMANDS_H
#define PAT_ANALYZE_COMMANDS_H

#include "cli.h"

/* One cmd_*.c file per subcommand; each returns an exit code. */
int cmd_info(int argc, char **argv);
extern const char cmd_info_usage[];
int cmd_heatmap(int argc, char **argv);
extern const char cmd_heatmap_usage[];
int cmd_reuse(int argc, char **argv);
extern const char cmd_reuse_usage[];
int cmd_wss(int argc, char **argv);
extern const char cmd_wss_usage[];
int cmd_export(int argc, char **argv);
extern const char cmd_export_usage[];
int cmd_report(int argc, char **argv);
extern const char cmd_report_usage[];
int cmd_check(int argc, char **argv);
extern const char cmd_check_usage[];

#endif
