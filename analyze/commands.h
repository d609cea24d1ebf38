/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_COMMANDS_H
#define PAT_ANALYZE_COMMANDS_H

#include "cli.h"

/*
 * One cmd_*.c file per subcommand: what its row of the table (struct pa_command) points
 * to. Each cmd_X returns an exit code.
 */
int cmd_info(int argc, char **argv);
extern const char cmd_info_usage[];

int cmd_heatmap(int argc, char **argv);
extern const char cmd_heatmap_usage[];
extern const struct option cmd_heatmap_options[];
int cmd_heatmap_option(int id, const char *arg, void *ctx);

int cmd_reuse(int argc, char **argv);
extern const char cmd_reuse_usage[];
extern const struct option cmd_reuse_options[];
int cmd_reuse_option(int id, const char *arg, void *ctx);

int cmd_wss(int argc, char **argv);
extern const char cmd_wss_usage[];
extern const struct option cmd_wss_options[];
int cmd_wss_option(int id, const char *arg, void *ctx);
int cmd_wss_check(const struct pa_command *cmd, const struct pa_cli *cli, void *ctx);

int cmd_export(int argc, char **argv);
extern const char cmd_export_usage[];
extern const struct option cmd_export_options[];
int cmd_export_option(int id, const char *arg, void *ctx);
int cmd_export_check(const struct pa_command *cmd, const struct pa_cli *cli, void *ctx);

int cmd_report(int argc, char **argv);
extern const char cmd_report_usage[];
extern const struct option cmd_report_options[];
int cmd_report_option(int id, const char *arg, void *ctx);
int cmd_report_check(const struct pa_command *cmd, const struct pa_cli *cli, void *ctx);

int cmd_check(int argc, char **argv);
extern const char cmd_check_usage[];
extern const struct option cmd_check_options[];
int cmd_check_option(int id, const char *arg, void *ctx);
int cmd_check_check(const struct pa_command *cmd, const struct pa_cli *cli, void *ctx);

#endif
