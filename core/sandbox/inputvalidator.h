// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>

#include "core/sandbox/problems.h"

namespace brieflow::sandbox {

/**
 * Checks a prediction's @p inputJson (a JSON object) against the Input schema of the Cog
 * OpenAPI document @p cogSchema, the way Replicate's API does: missing required properties, JSON
 * types, minimum/maximum and enums (declared through allOf/$ref), with gojsonschema's messages.
 * Unknown properties are accepted, as Replicate does, unless @p strict. Empty means valid.
 */
QList<FieldError> validateInput(const QByteArray &cogSchema, const QByteArray &inputJson,
                                bool strict);

} // namespace brieflow::sandbox
