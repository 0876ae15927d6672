// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

#include "core/sandbox/httpmessage.h"

namespace brieflow::sandbox {

/**
 * One entry of a 422 "Input validation failed" body: @c type is a gojsonschema error name
 * ("required", "enum", "number_lte", "number_gte", "invalid_type",
 * "additional_property_not_allowed"), @c field a dotted path ("input.output_format", "input", or
 * "" for the request body itself).
 */
struct FieldError {
    QString type;
    QString field;
    QString description;
    friend bool operator==(const FieldError &, const FieldError &) = default;
};

/**
 * Replicate's error answers, byte for byte as recorded (key order included), all
 * application/problem+json. Bodies nobody has recorded (5xx, 400, 405) follow the same style.
 */
namespace problems {

HttpResponse missingToken();
HttpResponse invalidToken();
HttpResponse insufficientCredit();
HttpResponse notFound();
HttpResponse invalidVersion();
HttpResponse validationFailed(const QList<FieldError> &errors);
/** 429 with "retry_after" and a Retry-After header; @p lowCredit picks the reduced-limit text. */
HttpResponse throttled(int retryAfterSeconds, bool lowCredit);
HttpResponse serverError(int status);
HttpResponse badRequest(const QString &detail);
HttpResponse methodNotAllowed(const QByteArray &method);

} // namespace problems

} // namespace brieflow::sandbox
