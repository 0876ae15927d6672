// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QNetworkReply>
#include <QString>

#include "core/provider/providertypes.h"

namespace brieflow::replicate {

/**
 * A Retry-After header value: delta-seconds ("10") or an HTTP-date (IMF-fixdate, RFC 850 or
 * asctime) measured from @p nowUtc; a date in the past gives 0. std::nullopt when empty or
 * unreadable.
 */
std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray &value,
                                                         const QDateTime &nowUtc);

/**
 * The ProviderError for a non-2xx HTTP answer. Reads the RFC 7807 body (title, detail, status,
 * invalid_fields, retry_after) when it is JSON and keeps it as rawBody either way. The kind
 * follows the status: 401, 402, 404, 422, 429, 5xx, any other → HttpError. The delay to wait
 * is the larger of the Retry-After header and the body's retry_after.
 */
ProviderError errorFromHttpResponse(int httpStatus, const QByteArray &body,
                                    const QByteArray &retryAfterHeader, const QDateTime &nowUtc);

/**
 * The ProviderError for a request that got no complete HTTP answer. Only connection refused and
 * host (or proxy) not found prove the request never left: mayHaveReachedServer is false for
 * those alone. OperationCanceledError is a transfer timeout here (our own aborts are told apart
 * by the caller).
 */
ProviderError errorFromNetworkFailure(QNetworkReply::NetworkError code, const QString &text);

/**
 * A create's failure as the caller must see it: when the request may have created a prediction
 * (timeout, reset, 5xx, an unreadable 2xx, our abort while in flight) the kind becomes
 * OutcomeUnknown, keeping the status, detail and body. Definite answers (4xx, 429, not sent)
 * pass through unchanged.
 */
ProviderError asCreateFailure(ProviderError error);

/** Replaces every occurrence of @p secret (if not empty) in the error's texts and raw body. */
void redactSecret(ProviderError &error, const QString &secret);

} // namespace brieflow::replicate
