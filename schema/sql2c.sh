#!/bin/sh
# sql2c.sh NAME < file.sql > file.c: the file as a C string constant NAME, comments kept.
set -eu
printf '/* Generated from schema/schema.sql by schema/sql2c.sh; do not edit. */\n'
printf 'extern const char %s[];\nconst char %s[] =\n' "$1" "$1"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/'
printf '\t;\n'
