// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <set>
#include <utility>

#include <QByteArray>
#include <QHash>
#include <QString>

#include "core/util/result.h"

namespace brieflow {

class ProviderClock;

/** The three Standard Webhooks headers of a delivery, as received (raw bytes, not trimmed). */
struct WebhookHeaders {
    QByteArray id;        ///< webhook-id: unique per message, the same on every retry.
    QByteArray timestamp; ///< webhook-timestamp: unix seconds, as decimal digits.
    QByteArray signature; ///< webhook-signature: space-separated "<version>,<base64>" entries.
};

/** What verify() decided about a delivery. */
enum class WebhookVerdict {
    Verified,       ///< Authentic, fresh and new: act on it.
    Duplicate,      ///< Authentic and fresh, but its webhook-id was seen before: answer 2xx only.
    MissingHeader,  ///< A header is missing, empty or malformed (a timestamp that isn't digits).
    BadSignature,   ///< No v1 entry matches the HMAC of the raw bytes.
    StaleTimestamp, ///< The timestamp is more than the tolerance away from now (either way).
    BadSecret,      ///< Our own secret is unusable (empty or not base64): nothing can verify.
};

/** The verdict and, for a rejection, a short reason for logs (never the secret or a MAC). */
struct WebhookVerification {
    WebhookVerdict verdict = WebhookVerdict::BadSignature;
    QString detail;

    /** Verified or Duplicate: the sender gets a 2xx and must not retry. */
    bool accepted() const
    {
        return verdict == WebhookVerdict::Verified || verdict == WebhookVerdict::Duplicate;
    }
};

/** A stable lower-case name for logs and statistics ("verified", "bad_signature", …). */
QString webhookVerdictName(WebhookVerdict verdict);

/**
 * The HTTP status a receiver answers for @p verdict: 204 for Verified and Duplicate, 400 for a
 * missing header, 401 for a bad signature or a stale timestamp, 503 for BadSecret (our fault;
 * the sender retries later, by when the secret may have been refreshed).
 */
int webhookHttpStatus(WebhookVerdict verdict);

/**
 * Compares @p a and @p b in time that depends only on their lengths: every byte is visited and
 * the differences are OR-ed together, no early exit. Different lengths compare unequal at once
 * (a length is not secret: every HMAC-SHA256 is 32 bytes).
 */
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

/** Tuning for WebhookVerifier. The defaults follow the Standard Webhooks libraries. */
struct WebhookVerifierOptions {
    /** A timestamp may be this far in the past or the future (inclusive). */
    std::chrono::seconds tolerance{300};
    /** A seen webhook-id is remembered until max(now, its timestamp) + tolerance + this. */
    std::chrono::seconds replayMargin{300};
    /** At most this many ids are remembered; past it the soonest-to-expire is forgotten first. */
    int maxRememberedIds = 20000;
};

/**
 * Verifies Standard Webhooks deliveries (what Replicate sends): HMAC-SHA256 with the secret's
 * key over "{webhook-id}.{webhook-timestamp}.{raw body}", every "v1," entry of the signature
 * header compared in constant time (other versions ignored), the timestamp within ±tolerance of
 * the injected clock, and each verified webhook-id remembered so a replay inside the window is a
 * Duplicate. Works on the raw bytes, before any JSON parsing; no I/O.
 *
 * The secret is "whsec_<base64>" (Replicate's GET /v1/webhooks/default/secret). As in the
 * Standard Webhooks reference libraries, the "whsec_" prefix is optional and the base64 may be
 * unpadded; an empty secret, "whsec_" alone or non-base64 text is BadSecret.
 *
 * Not thread-safe: use from one thread. The clock is not owned and must outlive the verifier.
 */
class WebhookVerifier {
public:
    /** The HMAC key in @p secret, or why it is unusable. */
    static Result<QByteArray, QString> decodeSecret(const QString &secret);
    /** "v1,<base64 HMAC-SHA256>" for a message, as a sender would write it (tests, the sandbox). */
    static QByteArray sign(const QByteArray &key, const QByteArray &id, const QByteArray &timestamp,
                           const QByteArray &rawBody);

    WebhookVerifier(const QString &secret, const ProviderClock &clock,
                    WebhookVerifierOptions options = {});

    /**
     * Replaces the secret (after it was refreshed from the API). The replay memory is kept: a
     * webhook-id stays the same whichever key signed it. A bad secret is stored as unusable, so
     * verify() answers BadSecret until a good one is set, and the reason is returned.
     */
    Result<void, QString> setSecret(const QString &secret);
    bool hasUsableSecret() const { return !m_key.isEmpty(); }

    /**
     * Decides about one delivery, in this order: all three headers present (MissingHeader), a
     * usable secret (BadSecret), the timestamp within the tolerance (StaleTimestamp), a matching
     * v1 signature (BadSignature), then the webhook-id: seen before → Duplicate, else it is
     * remembered and the delivery is Verified. Only authentic deliveries touch the replay memory.
     */
    WebhookVerification verify(const WebhookHeaders &headers, const QByteArray &rawBody);

    /** How many webhook-ids are remembered now (after dropping expired ones). */
    int rememberedCount();
    const WebhookVerifierOptions &options() const { return m_options; }

private:
    qint64 nowSecs() const;
    void forgetExpired(qint64 now);
    void remember(const QByteArray &id, qint64 expiresAt);

    const ProviderClock &m_clock;
    WebhookVerifierOptions m_options;
    QByteArray m_key;
    QString m_secretProblem;
    // Seen ids and their expiry (unix seconds); the set orders them by expiry for pruning.
    QHash<QByteArray, qint64> m_seen;
    std::set<std::pair<qint64, QByteArray>> m_byExpiry;
};

} // namespace brieflow
