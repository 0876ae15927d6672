// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include "core/provider/providertypes.h"
#include "core/util/result.h"

namespace brieflow::replicate {

/**
 * Replicate's prediction JSON → Prediction, leniently: unknown fields are ignored, duplicate keys
 * keep the last value, timestamps that do not parse become invalid QDateTimes, `logs` may be
 * null, `metrics` empty, `error` a string or an object, `output` a string, a list of tokens, a
 * list of URLs / data: URIs or any other JSON. Only a body that is not a JSON object, or one
 * without an `id` or a known `status`, is a MalformedResponse (with the body kept).
 *
 * Output strings count as files when every one of them is a single http(s) URL or data: URI;
 * anything else is text (tokens joined). outputJson keeps the exact value for callers that know
 * the version's output schema better.
 */
Result<Prediction, ProviderError> parsePrediction(const QByteArray &body);

/** A listing page {"next","previous","results":[…]}; a result that does not parse fails it. */
Result<PredictionPage, ProviderError> parsePredictionPage(const QByteArray &body);

/** GET /v1/account. */
Result<Account, ProviderError> parseAccount(const QByteArray &body);

/** GET /v1/webhooks/default/secret: the "key" member. */
Result<QString, ProviderError> parseWebhookSecret(const QByteArray &body);

/**
 * An ISO-8601 date-time as Replicate writes it: "2023-08-16T18:57:08.36078514Z", with 0–9
 * fractional digits (kept to the millisecond) and "Z", "+hh:mm", "+hhmm" or no offset (UTC).
 * Anything else, including impossible values like second 84, gives an invalid QDateTime.
 */
QDateTime parseTimestamp(QStringView text);

/** A MalformedResponse error carrying @p body, with @p why as its detail. */
ProviderError malformedResponse(const QByteArray &body, const QString &why);

} // namespace brieflow::replicate
