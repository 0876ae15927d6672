// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QList>
#include <QRandomGenerator>
#include <QString>

namespace brieflow::sandbox {

class SandboxClock;

/** What a scripted fault does to a request it matches. */
enum class FaultKind {
    HttpError,       ///< answer @c status (5xx) instead of handling it (or after: afterHandling)
    ConnectionReset, ///< handle the request (a create creates), then reset the connection
    Delay,           ///< handle the request, then hold the answer for @c delayMs
    RateLimitStorm,  ///< 429 with @c probability, or every request for @c lockoutMs
    MalformedJson,   ///< handle the request, then send a truncated JSON body
    FailPrediction,  ///< the created prediction fails with @c errorText
    ExpireOutputs,   ///< the created prediction's data is removed as soon as it finishes
};

/** "http_error", "connection_reset", "delay", "rate_limit_storm", … and back. */
QString faultKindName(FaultKind kind);
std::optional<FaultKind> faultKindFromName(const QString &name);

/**
 * One scripted fault: applies to the next @c count requests whose method and path match
 * (@c count < 0: until cleared). @c method is "GET", "POST" or "*"; @c path a glob where "*"
 * matches anything, e.g. "/v1/predictions" or "/v1/models/{any}/predictions" written with a star
 * for {any}. A request fault with @c probability below 1 hits each matching request with that
 * probability (a miss consumes nothing); a lock-out storm ignores it.
 */
struct FaultRule {
    FaultKind kind = FaultKind::HttpError;
    QString method = QStringLiteral("*");
    QString path = QStringLiteral("*");
    int count = 1;
    int status = 500;
    /// HttpError only: handle the request first (a create creates its prediction), then answer
    /// @c status instead of the real answer, like a gateway that lost the backend's reply.
    bool afterHandling = false;
    int delayMs = 0;
    double probability = 1.0;
    qint64 lockoutMs = 0;
    int retryAfterSeconds = 1;
    QString errorText = QStringLiteral("NSFW content detected. Try running it again, or try a "
                                       "different prompt.");
};

/** What the matching rules decided for one request. */
struct RequestFaults {
    std::optional<int> errorStatus;      ///< answered instead of handling the request
    std::optional<int> errorAfterStatus; ///< answered after handling it
    std::optional<int> throttleRetryAfter;
    bool reset = false;
    int delayMs = 0;
    bool malformed = false;
    bool any() const
    {
        return errorStatus || errorAfterStatus || throttleRetryAfter || reset || delayMs > 0
               || malformed;
    }
};

/** What the matching rules decided for a prediction being created. */
struct CreateFaults {
    QString failWith;
    bool expireImmediately = false;
};

/**
 * The scripted faults. Request faults are consumed when a request arrives; prediction faults
 * (FailPrediction, ExpireOutputs) only when a prediction is actually created. Probabilities use
 * a generator seeded from the sandbox seed, so a run is repeatable.
 */
class FaultInjector {
public:
    FaultInjector(quint64 seed, const SandboxClock *clock);

    int add(const FaultRule &rule);
    void clear();
    QList<FaultRule> rules() const;

    RequestFaults matchRequest(const QString &method, const QString &path);
    CreateFaults takeCreateFaults(const QString &method, const QString &path);

private:
    struct Active {
        int id = 0;
        FaultRule rule;
        qint64 lockoutUntilNs = 0;
    };
    static bool matches(const FaultRule &rule, const QString &method, const QString &path);
    void consume(qsizetype index);

    const SandboxClock *m_clock;
    QRandomGenerator m_rng;
    QList<Active> m_rules;
    int m_nextId = 1;
};

} // namespace brieflow::sandbox
