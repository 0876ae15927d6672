// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "core/util/result.h"
#include "core/workflow/workflow.h"

namespace brieflow {

/**
 * Cleans and checks a text step's output. Ok: the cleaned text, which is what the step stores
 * and later steps use. Error: a plain-words reason for the step's error message, e.g. “The model
 * answered with an apology instead of the image prompt: “I'm sorry, but I can't…””.
 *
 * Cleaning, always (it only removes wrapping that no prompt or concept needs):
 * - line breaks normalised to "\n", whitespace trimmed;
 * - a markdown code fence around the whole text (```lang … ```) removed;
 * - a leading label or preamble removed: a line or prefix such as "Image prompt:",
 *   "**Prompt:**", "Here is an image prompt for TrailLite:", "Sure! Here's the prompt:", or a
 *   line that is only "Sure!" / "Certainly." — a preamble is recognised only when it ends with a
 *   colon (or is a lone pleasantry), so a sentence that merely starts with "Here" stays;
 * - a trailing sign-off paragraph ("Let me know if…", "I hope this helps", "Feel free to…")
 *   removed;
 * - quotes wrapping the whole text ("…", “…”, '…', «…») removed.
 *
 * Checks, in this order: not empty; at least minChars code points; not an apology or refusal
 * (rejectApology: the text starts with "I'm sorry", "Sorry", "I apologize", "I can't",
 * "I cannot", "I won't", "I'm unable", "As an AI", "Unfortunately, I", … in any case, straight
 * or curly apostrophes); one paragraph (singleParagraph: lines wrapped inside one paragraph are
 * joined with spaces; two or more paragraphs separated by a blank line, or a bulleted or
 * numbered list, are rejected, because they mean the model wrote alternatives or commentary, and
 * images would be paid for on a guess); at most maxChars code points (counted after joining).
 *
 * @p what names the expected text in messages ("image prompt"); by default "requested text".
 */
Result<QString, QString> checkTextOutput(const OutputCheck &check, const QString &raw,
                                         const QString &what = QString());

/** checkTextOutput() for a step: @p what is the step's title in lowercase. */
Result<QString, QString> checkStepOutput(const StepDefinition &step, const QString &raw);

} // namespace brieflow
