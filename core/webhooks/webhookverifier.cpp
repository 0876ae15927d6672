// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/webhooks/webhookverifier.h"

#include <algorithm>
#include <optional>

#include <QCryptographicHash>
#include <QDateTime>
#include <QMessageAuthenticationCode>

#include "core/provider/providerclock.h"

namespace brieflow {

namespace {

constexpr QByteArrayView kSecretPrefix = "whsec_";
constexpr QByteArrayView kSymmetricVersion = "v1";
constexpr qsizetype kMacBytes = 32; // SHA-256

/** Strict base64 (standard alphabet); padding optional, as the reference libraries accept. */
std::optional<QByteArray> decodeBase64(QByteArrayView text)
{
    QByteArray padded = text.toByteArray();
    if (!padded.contains('=')) {
        while (padded.size() % 4 != 0)
            padded.append('=');
    }
    const auto decoded =
        QByteArray::fromBase64Encoding(padded, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return *decoded;
}

bool isDigits(const QByteArray &text)
{
    return !text.isEmpty() && text.size() <= 18
           && std::all_of(text.cbegin(), text.cend(), [](char c) { return c >= '0' && c <= '9'; });
}

QByteArray hmac(const QByteArray &key, const QByteArray &id, const QByteArray &timestamp,
                const QByteArray &rawBody)
{
    // Fed piece by piece: a large body is never copied into one signed string.
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, key);
    mac.addData(id);
    mac.addData(".", 1);
    mac.addData(timestamp);
    mac.addData(".", 1);
    mac.addData(rawBody);
    return mac.result();
}

WebhookVerification reject(WebhookVerdict verdict, QString detail)
{
    return WebhookVerification{verdict, std::move(detail)};
}

} // namespace

QString webhookVerdictName(WebhookVerdict verdict)
{
    switch (verdict) {
    case WebhookVerdict::Verified:
        return QStringLiteral("verified");
    case WebhookVerdict::Duplicate:
        return QStringLiteral("duplicate");
    case WebhookVerdict::MissingHeader:
        return QStringLiteral("missing_header");
    case WebhookVerdict::BadSignature:
        return QStringLiteral("bad_signature");
    case WebhookVerdict::StaleTimestamp:
        return QStringLiteral("stale_timestamp");
    case WebhookVerdict::BadSecret:
        return QStringLiteral("bad_secret");
    }
    return QStringLiteral("unknown");
}

int webhookHttpStatus(WebhookVerdict verdict)
{
    switch (verdict) {
    case WebhookVerdict::Verified:
    case WebhookVerdict::Duplicate:
        return 204;
    case WebhookVerdict::MissingHeader:
        return 400;
    case WebhookVerdict::BadSignature:
    case WebhookVerdict::StaleTimestamp:
        return 401;
    case WebhookVerdict::BadSecret:
        return 503;
    }
    return 500;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    // volatile keeps the compiler from turning the loop into an early-exit memcmp.
    volatile unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference = difference | static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

Result<QByteArray, QString> WebhookVerifier::decodeSecret(const QString &secret)
{
    if (secret.isEmpty())
        return fail(QStringLiteral("the webhook secret is empty"));
    if (std::any_of(secret.cbegin(), secret.cend(), [](QChar c) { return c.unicode() > 0x7f; }))
        return fail(QStringLiteral("the webhook secret is not \"whsec_\" followed by base64"));
    QByteArray text = secret.toLatin1();
    if (text.startsWith(kSecretPrefix))
        text.remove(0, kSecretPrefix.size());
    if (text.isEmpty())
        return fail(QStringLiteral("the webhook secret has no key after \"whsec_\""));
    const auto key = decodeBase64(text);
    if (!key || key->isEmpty())
        return fail(QStringLiteral("the webhook secret is not \"whsec_\" followed by base64"));
    return *key;
}

QByteArray WebhookVerifier::sign(const QByteArray &key, const QByteArray &id,
                                 const QByteArray &timestamp, const QByteArray &rawBody)
{
    return kSymmetricVersion.toByteArray() + ',' + hmac(key, id, timestamp, rawBody).toBase64();
}

WebhookVerifier::WebhookVerifier(const QString &secret, const ProviderClock &clock,
                                 WebhookVerifierOptions options)
    : m_clock(clock)
    , m_options(options)
{
    (void)setSecret(secret);
}

Result<void, QString> WebhookVerifier::setSecret(const QString &secret)
{
    auto key = decodeSecret(secret);
    if (!key) {
        m_key.clear();
        m_secretProblem = key.error();
        return fail(key.error());
    }
    m_key = std::move(key).value();
    m_secretProblem.clear();
    return {};
}

WebhookVerification WebhookVerifier::verify(const WebhookHeaders &headers,
                                            const QByteArray &rawBody)
{
    if (headers.id.isEmpty())
        return reject(WebhookVerdict::MissingHeader, QStringLiteral("no webhook-id header"));
    if (headers.timestamp.isEmpty())
        return reject(WebhookVerdict::MissingHeader, QStringLiteral("no webhook-timestamp header"));
    if (headers.signature.isEmpty())
        return reject(WebhookVerdict::MissingHeader, QStringLiteral("no webhook-signature header"));
    if (!isDigits(headers.timestamp))
        return reject(WebhookVerdict::MissingHeader,
                      QStringLiteral("webhook-timestamp is not unix seconds"));
    if (m_key.isEmpty())
        return reject(WebhookVerdict::BadSecret, m_secretProblem);

    const qint64 now = nowSecs();
    const qint64 timestamp = headers.timestamp.toLongLong();
    const qint64 tolerance = m_options.tolerance.count();
    if (now - timestamp > tolerance)
        return reject(WebhookVerdict::StaleTimestamp,
                      QStringLiteral("webhook-timestamp is %1 s old").arg(now - timestamp));
    if (timestamp - now > tolerance)
        return reject(WebhookVerdict::StaleTimestamp,
                      QStringLiteral("webhook-timestamp is %1 s ahead").arg(timestamp - now));

    const QByteArray expected = hmac(m_key, headers.id, headers.timestamp, rawBody);
    bool matched = false;
    int v1Entries = 0;
    // Every entry is looked at (no early exit on a match); only "v1" is ours to check.
    for (const QByteArray &entry : headers.signature.split(' ')) {
        const qsizetype comma = entry.indexOf(',');
        if (comma < 0 || QByteArrayView(entry).first(comma) != kSymmetricVersion)
            continue;
        ++v1Entries;
        const auto given = decodeBase64(QByteArrayView(entry).sliced(comma + 1));
        if (!given || given->size() != kMacBytes)
            continue;
        matched = constantTimeEquals(*given, expected) || matched;
    }
    if (!matched) {
        return reject(WebhookVerdict::BadSignature,
                      v1Entries == 0 ? QStringLiteral("webhook-signature has no v1 entry")
                                     : QStringLiteral("no v1 signature matches"));
    }

    forgetExpired(now);
    if (m_seen.contains(headers.id))
        return reject(WebhookVerdict::Duplicate, QStringLiteral("webhook-id seen before"));
    remember(headers.id, std::max(now, timestamp) + tolerance + m_options.replayMargin.count());
    return WebhookVerification{WebhookVerdict::Verified, {}};
}

int WebhookVerifier::rememberedCount()
{
    forgetExpired(nowSecs());
    return int(m_seen.size());
}

qint64 WebhookVerifier::nowSecs() const
{
    return m_clock.nowUtc().toSecsSinceEpoch();
}

void WebhookVerifier::forgetExpired(qint64 now)
{
    while (!m_byExpiry.empty() && m_byExpiry.begin()->first < now) {
        m_seen.remove(m_byExpiry.begin()->second);
        m_byExpiry.erase(m_byExpiry.begin());
    }
}

void WebhookVerifier::remember(const QByteArray &id, qint64 expiresAt)
{
    while (!m_byExpiry.empty() && int(m_seen.size()) >= std::max(1, m_options.maxRememberedIds)) {
        m_seen.remove(m_byExpiry.begin()->second);
        m_byExpiry.erase(m_byExpiry.begin());
    }
    m_seen.insert(id, expiresAt);
    m_byExpiry.emplace(expiresAt, id);
}

} // namespace brieflow
