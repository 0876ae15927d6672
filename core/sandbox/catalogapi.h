// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include "core/sandbox/exchange.h"

namespace brieflow::sandbox {

/**
 * The read-only API endpoints: GET /v1/models[/{owner}/{name}[/versions[/{id}]]],
 * /v1/deployments/{owner}/{name}, /v1/account, /v1/webhooks/default/secret and /v1/hardware.
 * std::nullopt when @p request is for none of them.
 */
std::optional<HttpResponse> handleCatalog(const HttpRequest &request, const SandboxContext &context,
                                          const QString &webhookSecret);

/**
 * What the sandbox serves outside the API, without authentication (like replicate.delivery):
 * output files at /files/{prediction}/{name} (404 once the data is removed) and a small
 * page at /p/{prediction} that urls.web points to. std::nullopt for other paths.
 */
std::optional<HttpResponse> handlePublicFiles(const HttpRequest &request,
                                              const SandboxContext &context);

} // namespace brieflow::sandbox
