// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>

#include <QPointer>
#include <QTcpSocket>

#include "core/sandbox/faultinjector.h"
#include "core/sandbox/httpmessage.h"
#include "core/sandbox/ratelimiter.h"

namespace brieflow::sandbox {

class ModelCatalog;
class PredictionEngine;
class SandboxClock;
class SandboxStats;
struct SandboxConfig;
struct SandboxUrls;

/**
 * One request being answered. Shared by whoever will answer it (a route, a Prefer: wait hold,
 * a delayed-answer timer); the socket is a QPointer because the client may go away first.
 */
struct Exchange {
    QPointer<QTcpSocket> socket;
    HttpRequest request;
    RequestFaults faults;
    int rateLimitRemaining = -1;  ///< -1: no ratelimit headers on the answer
    std::optional<Bucket> bucket; ///< the rate-limit bucket of an API request (not files, streams)
    bool inFlight = false;
    bool answered = false;
};
using ExchangePtr = std::shared_ptr<Exchange>;

/** Answers an exchange (applying its scripted faults); what routes call. */
using Responder = std::function<void(const ExchangePtr &, HttpResponse)>;

/** The server's parts, as the route handlers see them. */
struct SandboxContext {
    SandboxConfig *config = nullptr;
    SandboxClock *clock = nullptr;
    const ModelCatalog *catalog = nullptr;
    PredictionEngine *engine = nullptr;
    SandboxStats *stats = nullptr;
    FaultInjector *faults = nullptr;
    const SandboxUrls *urls = nullptr;
};

} // namespace brieflow::sandbox
