// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace brieflow::sandbox {

/**
 * How long one model takes: a queue time (status "starting") then a run time ("processing"),
 * each drawn uniformly from [min, max] milliseconds by the sandbox's seeded generator. All zero
 * is allowed: the prediction then finishes within a few event-loop turns.
 */
struct LatencyDistribution {
    int queueMinMs = 0;
    int queueMaxMs = 0;
    int runMinMs = 0;
    int runMaxMs = 0;

    static LatencyDistribution fixed(int queueMs, int runMs)
    {
        return {queueMs, queueMs, runMs, runMs};
    }
    friend bool operator==(const LatencyDistribution &, const LatencyDistribution &) = default;
};

/** A token bucket: @c burst tokens at most, refilled at @c perMinute / 60 tokens a second. */
struct RateLimit {
    double perMinute = 600;
    double burst = 600;
    friend bool operator==(const RateLimit &, const RateLimit &) = default;
};

/**
 * The three buckets Replicate's headers reveal (ratelimit-remaining 599 / 2999 / 59999): creates,
 * GET of one prediction, and everything else. Defaults are Replicate's documented limits.
 */
struct RateLimits {
    bool enabled = true;
    RateLimit create{600, 600};
    RateLimit other{3000, 3000};
    RateLimit getPrediction{60000, 60000};
    friend bool operator==(const RateLimits &, const RateLimits &) = default;
};

/**
 * The account's credit as it affects the API: Ok; Low (under $5: creates throttled to 6/min with
 * a burst of 1 and Replicate's "reduced" 429 message); Exhausted (creates answer 402).
 */
enum class CreditState { Ok, Low, Exhausted };

/** Switches for behaviours seen in recorded traffic that a client must survive. */
struct Quirks {
    /// Prefer: wait answers status "processing" although the output is complete.
    bool syncReturnsProcessing = false;
    /// The language model's "model" field is an internal name, not the path that was called.
    bool internalModelNames = false;
    /// Cancel-After is reported as the prediction's deadline but not enforced: the prediction
    /// runs on past it (what a stuck prediction at the provider looks like).
    bool ignoreDeadlines = false;
    friend bool operator==(const Quirks &, const Quirks &) = default;
};

/** Webhook delivery: attempts per message, the first retry delay (doubled each time), etc. */
struct WebhookSettings {
    int maxAttempts = 4;
    int firstRetryDelayMs = 1000;
    int throttleMs = 500;
    int timeoutMs = 10000;
};

/**
 * Everything a SandboxServer starts with; most of it can be changed later through the server's
 * control API. The defaults behave like the real service at demo speed.
 */
struct SandboxConfig {
    quint16 port = 0; ///< 0 picks a free port
    quint64 seed = 1;
    qint64 dataTtlMs = 3600 * 1000;
    int pageSize = 100;
    int imageLongSide = 1024;
    LatencyDistribution textLatency{200, 600, 1000, 2000};
    LatencyDistribution imageLatency{300, 800, 1500, 3000};
    RateLimits rateLimits;
    CreditState credit = CreditState::Ok;
    Quirks quirks;
    WebhookSettings webhooks;
    /// Tokens starting with one of these are refused with 401 (any other non-empty one is fine).
    QStringList rejectedTokenPrefixes{QStringLiteral("r8_invalid")};
    /// Host put in urls.stream (e.g. "localhost"); empty means the API's own host, 127.0.0.1.
    QString streamHost;
    /// Refuse input properties the model's schema does not declare (Replicate ignores them).
    bool strictInputs = false;
    /// The sandbox clock's start; invalid means the current time.
    QDateTime startTime;

    /** Zero latency, 64-pixel images, webhook retries after 20 ms: what the tests want. */
    static SandboxConfig forTests()
    {
        SandboxConfig config;
        config.imageLongSide = 64;
        config.textLatency = {};
        config.imageLatency = {};
        config.webhooks.firstRetryDelayMs = 20;
        config.webhooks.throttleMs = 50;
        config.webhooks.timeoutMs = 2000;
        return config;
    }
};

} // namespace brieflow::sandbox
