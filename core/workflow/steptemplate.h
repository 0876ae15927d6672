// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include "core/util/result.h"
#include "core/workflow/workflow.h"

namespace brieflow {

/** What a step's input template is filled with. */
struct TemplateContext {
    /// The job's brief as JSON, as briefToJson() writes it: product_name, audience,
    /// value_proposition, tone, brand_notes, image {aspect_ratio, count, output_format}.
    QByteArray briefJson;
    /// Earlier text steps' outputs by step name (the cleaned text the step stored).
    QHash<QString, QString> stepOutputs;
};

/**
 * Fills the step's input template and returns the result as canonical JSON (canonicalJson()),
 * ready to send and to hash.
 *
 * The language, in any JSON string value of the template (keys are never templated):
 * - `{{brief.product_name}}`, `{{brief.image.count}}`, `{{steps.concept.output}}` insert a
 *   value as text. A string that is exactly one placeholder takes the value's JSON type, so
 *   "{{brief.image.count}}" becomes the number 2.
 * - `{{#brief.tone}}…{{/brief.tone}}` renders its content only when the value is present and
 *   non-empty (text that is not just whitespace; numbers and true always count as present);
 *   `{{^brief.tone}}…{{/brief.tone}}` only when it is absent or empty. Sections nest.
 * - Spaces inside the braces are allowed. There is no escaping: values are inserted as text and
 *   the JSON is built with a JSON library, so quotes, backslashes and line breaks in a brief
 *   are safe.
 *
 * A placeholder whose value is missing or empty is an error, not an empty string, unless it is
 * inside a section that is not rendered. The error is a plain sentence naming the placeholder
 * and where it is ("input.prompt").
 */
Result<QByteArray, QString> renderStepInput(const StepDefinition &step,
                                            const TemplateContext &context);

} // namespace brieflow
