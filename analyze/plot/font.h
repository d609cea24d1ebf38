/* SPDX-License-Identifier: MIT */
#ifndef PAT_PLOT_FONT_H
#define PAT_PLOT_FONT_H

/*
 * Glyph cells of the PNG font: PA_FONT_ASCENT rows down to the baseline, then the
 * descenders; a character advances PA_FONT_ADV pixels.
 */
#define PA_FONT_W 5
#define PA_FONT_ASCENT 7
#define PA_FONT_H 9
#define PA_FONT_ADV 6

/*
 * pa_font_glyph - the PA_FONT_H rows of character @c (bit 4 is the leftmost pixel of
 * a row); characters outside printable ASCII are drawn as '?'. Static storage.
 */
const unsigned char *pa_font_glyph(unsigned char c);

#endif
