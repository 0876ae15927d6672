// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

#include "core/provider/providertypes.h"
#include "core/replicate/retrypolicy.h"
#include "core/util/result.h"

namespace brieflow::replicate {

/**
 * One HTTP request to the Replicate API, before authentication: what ReplicateTransport sends.
 * The builders below are pure, so endpoint choice and bodies are tested without a network.
 */
struct HttpRequestSpec {
    QByteArray method = "GET";
    QUrl url;
    QByteArray body;                              ///< JSON for POSTs with a body; empty otherwise
    QList<QPair<QByteArray, QByteArray>> headers; ///< besides Authorization, User-Agent, Accept
    RequestKind kind = RequestKind::Read;
    int preferWaitSeconds = 0; ///< the server may hold the answer this long (create only)
};

/** The default API root, https://api.replicate.com/v1. */
QUrl defaultBaseUrl();

/**
 * @p url as an API root: no trailing slash, and "/v1" appended when the path is empty (so the
 * settings value "https://api.replicate.com" works too). Invalid or non-http(s) → invalid QUrl.
 */
QUrl normalizeBaseUrl(const QUrl &url);

/** Same scheme, host and (effective) port: where our Authorization header may go. */
bool isSameOrigin(const QUrl &a, const QUrl &b);

/** Cancel-After as Replicate reads it: "45s", "5m", "2h", "1h30m", "90s" → "90s" etc. */
QString formatCancelAfter(std::chrono::seconds duration);

/** A prediction id we are willing to put in a path: 1–64 of [A-Za-z0-9_-]. */
bool isValidPredictionId(const QString &id);

/**
 * The create call for @p request: POST /models/{o}/{n}/predictions for an official model,
 * /predictions with "version" for a version, /deployments/{o}/{n}/predictions for a deployment.
 * Always carries Cancel-After; Prefer: wait=N only when asked. InvalidRequest when the request
 * has no Cancel-After (or under 5 s), an input that is not a JSON object, or a bad wait.
 */
Result<HttpRequestSpec, ProviderError> buildCreateRequest(const QUrl &baseUrl,
                                                          const CreateRequest &request);
Result<HttpRequestSpec, ProviderError> buildGetPrediction(const QUrl &baseUrl, const QString &id);
Result<HttpRequestSpec, ProviderError> buildCancelPrediction(const QUrl &baseUrl,
                                                             const QString &id);
/** GET /predictions with created_after/created_before, or the query's cursor verbatim (it must
 *  be same-origin with @p baseUrl, or the token would travel elsewhere). */
Result<HttpRequestSpec, ProviderError> buildListPredictions(const QUrl &baseUrl,
                                                            const PredictionListQuery &query);
/** GET @p nextUrl verbatim, refused unless same-origin with @p baseUrl. */
Result<HttpRequestSpec, ProviderError> buildNextPage(const QUrl &baseUrl, const QUrl &nextUrl);
HttpRequestSpec buildAccount(const QUrl &baseUrl);
Result<HttpRequestSpec, ProviderError> buildGetModel(const QUrl &baseUrl, const QString &owner,
                                                     const QString &name);
Result<HttpRequestSpec, ProviderError> buildGetModelVersion(const QUrl &baseUrl,
                                                            const QString &owner,
                                                            const QString &name,
                                                            const QString &versionId);
HttpRequestSpec buildDefaultWebhookSecret(const QUrl &baseUrl);

/** An InvalidRequest error (nothing sent) with @p why as its detail. */
ProviderError invalidRequest(const QString &why);

} // namespace brieflow::replicate
