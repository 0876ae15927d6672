// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/sandbox/httpmessage.h"

namespace brieflow::sandbox {

class SandboxServer;

/**
 * The HTTP form of SandboxServer's control API, for tests and benchmarks in other processes
 * (JSON in, JSON out, no authentication, never rate limited or faulted):
 *
 *   GET    /__stats                     counters (SandboxStats::toJson())
 *   POST   /__stats/reset
 *   GET    /__control                   current settings, faults and clock
 *   POST   /__control/latency           {"model":"text"|"image"|"owner/name"|"*",
 *                                        "queue_ms":N|[min,max], "run_ms":N|[min,max]}
 *   POST   /__control/rate-limits       {"enabled":b, "create"|"other"|"get_prediction":
 *                                        {"per_minute":N, "burst":N}}
 *   POST   /__control/account           {"credit":"ok"|"low"|"exhausted"}
 *   POST   /__control/quirks            {"sync_returns_processing":b, "internal_model_names":b}
 *   POST   /__control/data-ttl          {"seconds":N}
 *   POST   /__control/page-size         {"size":N}
 *   POST   /__control/tokens            {"rejected_prefixes":["r8_invalid", …]}
 *   POST   /__control/strict-inputs     {"enabled":b}
 *   POST   /__control/faults            {"kind":"http_error"|"connection_reset"|"delay"|
 *                                        "rate_limit_storm"|"malformed_json"|"fail_prediction"|
 *                                        "expire_outputs", "method":"POST", "path":"/v1/…",
 *                                        "count":N, "status":N, "delay_ms":N, "probability":p,
 *                                        "lockout_seconds":N, "retry_after":N, "error":"…"}
 *   DELETE /__control/faults
 *   POST   /__control/clock/advance     {"seconds":N} or {"ms":N}
 *   GET    /__control/predictions/{id}  plan and output files with their SHA-256
 *   GET    /__control/webhooks          every webhook delivery attempt
 */
HttpResponse handleControl(SandboxServer &server, const HttpRequest &request);

} // namespace brieflow::sandbox
