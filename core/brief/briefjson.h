// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include "core/brief/brief.h"
#include "core/util/result.h"

namespace brieflow {

/** The largest brief file briefFromJson() reads; a real brief is a few kilobytes. */
inline constexpr qsizetype MaxBriefJsonBytes = 1024 * 1024;

/**
 * Reads one brief from a JSON object such as
 * {"product_name": "…", "audience": "…", "value_proposition": "…", "tone": "…",
 *  "brand_notes": "…", "image": {"aspect_ratio": "16:9", "count": 2, "output_format": "png"}}
 * and validates it. On success returns the normalised brief (see normalizedBrief()); otherwise
 * every problem found. Strict on shape: unknown or repeated keys (also inside "image") are
 * rejected by name, text must be a JSON string, "count" a JSON number ("2" in quotes is rejected
 * with a hint). Absent optional keys and null take the default. A UTF-8 byte order mark is
 * skipped. Problems with the file as a whole (empty, not UTF-8, not JSON with line and column,
 * not an object, over MaxBriefJsonBytes) have an empty field.
 */
Result<Brief, BriefIssues> briefFromJson(const QByteArray &json);

/**
 * @p brief as canonical compact JSON for storing as a job's input payload: every key always
 * present (empty text as ""), in the order product_name, audience, value_proposition, tone,
 * brand_notes, image {aspect_ratio, count, output_format}; UTF-8, no whitespace. The brief is
 * written as given: pass a validated one, and briefFromJson() gives it back unchanged.
 */
QByteArray briefToJson(const Brief &brief);

} // namespace brieflow
