// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// WebhookVerifier against the Standard Webhooks vectors (tests/data/webhooks/webhook-vectors.json,
// copied from the upstream library tests) and the edges around them: tampering, several
// signatures, the ±5 minute window to the second, replays, secrets, empty and 1 MiB bodies.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/webhooks/webhookverifier.h"
#include "tests/support/fakeclock.h"

using namespace brieflow;
using namespace brieflow::test;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(brieflow::WebhookVerdict)

namespace {

const QString kSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
const QByteArray kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const QByteArray kBody = R"({"test": 2432232314})";

QJsonObject loadJson(const QString &name)
{
    QFile file(QStringLiteral(BRIEFLOW_TEST_DATA_DIR "/webhooks/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

QDateTime atSecs(qint64 secs)
{
    return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC);
}

QByteArray keyOf(const QString &secret)
{
    auto key = WebhookVerifier::decodeSecret(secret);
    if (!key)
        qFatal("bad test secret: %s", qPrintable(key.error()));
    return key.value();
}

QByteArray secsText(const FakeClock &clock, qint64 offset = 0)
{
    return QByteArray::number(clock.nowUtc().toSecsSinceEpoch() + offset);
}

/** Headers for @p body signed with @p secret at @p timestamp. */
WebhookHeaders signedHeaders(const QString &secret, const QByteArray &id,
                             const QByteArray &timestamp, const QByteArray &body)
{
    return {id, timestamp, WebhookVerifier::sign(keyOf(secret), id, timestamp, body)};
}

} // namespace

class TestWebhookVerifier : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void signVectors();
    void invalidSignatureVectors();
    void multiSignatureVectors();
    void onlyTheSecondSignatureIsValid();
    void otherVersionsAreIgnored();
    void tamperedDeliveries_data();
    void tamperedDeliveries();
    void timestampWindowEdges_data();
    void timestampWindowEdges();
    void replayIsDuplicate();
    void forgedReplayIsNotDuplicate();
    void replayMemoryExpiresAndIsBounded();
    void wrongSecret();
    void secretEncodings_data();
    void secretEncodings();
    void badSecretUntilReplaced();
    void missingOrMalformedHeaders_data();
    void missingOrMalformedHeaders();
    void emptyBody();
    void oneMebibyteBody();
    void defaultSecretResponse();
    void constantTimeComparison();
    void statusAndNames();
};

void TestWebhookVerifier::signVectors()
{
    const QJsonArray vectors = loadJson(QStringLiteral("webhook-vectors.json"))
                                   .value(QStringLiteral("sign_vectors"))
                                   .toArray();
    QCOMPARE(vectors.size(), 2);
    for (const QJsonValue &value : vectors) {
        const QJsonObject v = value.toObject();
        const QString secret = v.value(QStringLiteral("secret")).toString();
        const QByteArray id = v.value(QStringLiteral("id")).toString().toUtf8();
        const QByteArray timestamp = v.value(QStringLiteral("timestamp")).toString().toUtf8();
        const QByteArray payload = v.value(QStringLiteral("payload")).toString().toUtf8();
        const QByteArray expected =
            v.value(QStringLiteral("expected_signature")).toString().toUtf8();

        QCOMPARE(WebhookVerifier::sign(keyOf(secret), id, timestamp, payload), expected);
        // The vectors are from 2021/2022: verify "then", as the upstream tests do.
        FakeClock clock(atSecs(timestamp.toLongLong()));
        WebhookVerifier verifier(secret, clock);
        const auto result = verifier.verify({id, timestamp, expected}, payload);
        QCOMPARE(result.verdict, WebhookVerdict::Verified);
        QVERIFY(result.accepted());
    }
}

void TestWebhookVerifier::invalidSignatureVectors()
{
    const QJsonArray vectors = loadJson(QStringLiteral("webhook-vectors.json"))
                                   .value(QStringLiteral("invalid_signatures_verbatim"))
                                   .toArray();
    QCOMPARE(vectors.size(), 5);
    for (const QJsonValue &value : vectors) {
        const QJsonObject v = value.toObject();
        // Upstream signs these "now" where no timestamp is given; the fake clock's now is fine.
        FakeClock clock(v.contains(QStringLiteral("timestamp"))
                            ? atSecs(v.value(QStringLiteral("timestamp")).toString().toLongLong())
                            : QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC));
        const QByteArray id =
            v.value(QStringLiteral("id")).toString(QString::fromLatin1(kId)).toUtf8();
        const QByteArray payload =
            v.value(QStringLiteral("payload")).toString(QString::fromUtf8(kBody)).toUtf8();
        const QByteArray header = v.value(QStringLiteral("signature_header")).toString().toUtf8();
        WebhookVerifier verifier(v.value(QStringLiteral("secret")).toString(), clock);
        QVERIFY2(verifier.hasUsableSecret(), "secrets without whsec_ are accepted");
        const auto result = verifier.verify({id, secsText(clock), header}, payload);
        QCOMPARE(result.verdict, WebhookVerdict::BadSignature);
        QVERIFY(!result.accepted());
    }
}

void TestWebhookVerifier::multiSignatureVectors()
{
    const QJsonObject root = loadJson(QStringLiteral("webhook-vectors.json"));
    FakeClock clock(atSecs(1614265330));
    const QByteArray timestamp = "1614265330";
    const QByteArray valid = WebhookVerifier::sign(keyOf(kSecret), kId, timestamp, kBody);
    int n = 0;
    for (const QJsonValue &value :
         root.value(QStringLiteral("multi_signature_verbatim")).toArray()) {
        QList<QByteArray> withValid;
        QList<QByteArray> decoysOnly;
        for (const QJsonValue &entry :
             value.toObject().value(QStringLiteral("decoy_signatures")).toArray()) {
            const QByteArray text = entry.toString().toUtf8();
            if (text.startsWith('<')) {
                withValid << valid;
            } else {
                withValid << text;
                decoysOnly << text;
            }
        }
        WebhookVerifier verifier(kSecret, clock);
        QCOMPARE(
            verifier.verify({kId + QByteArray::number(n), timestamp, decoysOnly.join(' ')}, kBody)
                .verdict,
            WebhookVerdict::BadSignature);
        QCOMPARE(verifier.verify({kId, timestamp, withValid.join(' ')}, kBody).verdict,
                 WebhookVerdict::Verified);
        ++n;
    }
    QCOMPARE(n, 2);

    const QJsonObject derived = root.value(QStringLiteral("derived_cases_not_verbatim")).toObject();
    WebhookVerifier verifier(kSecret, clock);
    const QByteArray header =
        derived.value(QStringLiteral("multi_sig_header_fixed_ts")).toString().toUtf8();
    QCOMPARE(verifier.verify({kId, timestamp, header}, kBody).verdict, WebhookVerdict::Verified);
}

void TestWebhookVerifier::onlyTheSecondSignatureIsValid()
{
    FakeClock clock;
    WebhookVerifier verifier(kSecret, clock);
    const QByteArray ts = secsText(clock);
    const QByteArray valid = WebhookVerifier::sign(keyOf(kSecret), kId, ts, kBody);
    // The first entry is a well-formed 32-byte MAC of another message.
    const QByteArray other = WebhookVerifier::sign(keyOf(kSecret), kId, ts, "{}");
    QCOMPARE(verifier.verify({kId, ts, other + ' ' + valid}, kBody).verdict,
             WebhookVerdict::Verified);
    // Extra spaces between entries are tolerated.
    WebhookVerifier second(kSecret, clock);
    QCOMPARE(second.verify({kId, ts, "v1,garbage  " + valid + "  "}, kBody).verdict,
             WebhookVerdict::Verified);
}

void TestWebhookVerifier::otherVersionsAreIgnored()
{
    FakeClock clock;
    WebhookVerifier verifier(kSecret, clock);
    const QByteArray ts = secsText(clock);
    const QByteArray mac = WebhookVerifier::sign(keyOf(kSecret), kId, ts, kBody).mid(3);
    // The right MAC under another version label is not a v1 signature.
    const auto result = verifier.verify({kId, ts, "v1a," + mac + " v2," + mac}, kBody);
    QCOMPARE(result.verdict, WebhookVerdict::BadSignature);
    QCOMPARE(result.detail, QStringLiteral("webhook-signature has no v1 entry"));
    QCOMPARE(verifier.verify({kId, ts, "v1," + mac}, kBody).verdict, WebhookVerdict::Verified);
}

void TestWebhookVerifier::tamperedDeliveries_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<qint64>("timestampOffset");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("body: one digit changed")
        << kId << qint64(0) << QByteArray(R"({"test": 2432232315})");
    QTest::newRow("body: re-serialised JSON")
        << kId << qint64(0) << QByteArray(R"({"test":2432232314})");
    QTest::newRow("body: trailing newline") << kId << qint64(0) << QByteArray(kBody + '\n');
    QTest::newRow("id") << QByteArray("msg_p5jXN8AQM9LWM0D4loKWxJeK") << qint64(0) << kBody;
    QTest::newRow("timestamp +1 s") << kId << qint64(1) << kBody;
    QTest::newRow("timestamp -1 s") << kId << qint64(-1) << kBody;
}

void TestWebhookVerifier::tamperedDeliveries()
{
    QFETCH(QByteArray, id);
    QFETCH(qint64, timestampOffset);
    QFETCH(QByteArray, body);
    FakeClock clock;
    WebhookVerifier verifier(kSecret, clock);
    const QByteArray signature = WebhookVerifier::sign(keyOf(kSecret), kId, secsText(clock), kBody);
    const auto result = verifier.verify({id, secsText(clock, timestampOffset), signature}, body);
    QCOMPARE(result.verdict, WebhookVerdict::BadSignature);
    QCOMPARE(result.detail, QStringLiteral("no v1 signature matches"));
    QCOMPARE(verifier.rememberedCount(), 0);
}

void TestWebhookVerifier::timestampWindowEdges_data()
{
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<WebhookVerdict>("expected");
    QTest::newRow("now") << qint64(0) << WebhookVerdict::Verified;
    QTest::newRow("exactly 5 min old") << qint64(-300) << WebhookVerdict::Verified;
    QTest::newRow("5 min 1 s old") << qint64(-301) << WebhookVerdict::StaleTimestamp;
    QTest::newRow("exactly 5 min ahead") << qint64(300) << WebhookVerdict::Verified;
    QTest::newRow("5 min 1 s ahead") << qint64(301) << WebhookVerdict::StaleTimestamp;
    QTest::newRow("a day old") << qint64(-86400) << WebhookVerdict::StaleTimestamp;
    QTest::newRow("epoch 0") << qint64(-1767225600) << WebhookVerdict::StaleTimestamp;
}

void TestWebhookVerifier::timestampWindowEdges()
{
    QFETCH(qint64, offset);
    QFETCH(WebhookVerdict, expected);
    FakeClock clock;
    WebhookVerifier verifier(kSecret, clock);
    const QByteArray ts = secsText(clock, offset);
    const auto result = verifier.verify(signedHeaders(kSecret, kId, ts, kBody), kBody);
    QCOMPARE(result.verdict, expected);
    QCOMPARE(webhookHttpStatus(result.verdict), expected == WebhookVerdict::Verified ? 204 : 401);
}

void TestWebhookVerifier::replayIsDuplicate()
{
    FakeClock clock;
    WebhookVerifier verifier(kSecret, clock);
    const WebhookHeaders headers = signedHeaders(kSecret, kId, secsText(clock), kBody);
    QCOMPARE(verifier.verify(headers, kBody).verdict, WebhookVerdict::Verified);
    clock.advance(10s);
    const auto again = verifier.verify(headers, kBody);
    QCOMPARE(again.verdict, WebhookVerdict::Duplicate);
    QVERIFY(again.accepted());
    QCOMPARE(webhookHttpStatus(again.verdict), 204);
    // A sender's retry: same webhook-id, re-signed with a newer timestamp.
    clock.advance(60s);
    QCOMPARE(verifier.verify(signedHeaders(kSecret, kId, secsText(clock), kBody), kBody).verdict,
             WebhookVerdict::Duplicate);
    // Another id is a new message.
    QCOMPARE(
        verifier.verify(signedHeaders(kSecret, "msg_other", secsText(clock), kBody), kBody).verdict,
        WebhookVerdict::Verified);
    QCOMPARE(verifier.rememberedCount(), 2);
}

void TestWebhookVerifier::forgedReplayIsNotDuplicate()
{
    FakeClock clock;
    WebhookVerifier verifier(kSecret, clock);
    QCOMPARE(verifier.verify(signedHeaders(kSecret, kId, secsText(clock), kBody), kBody).verdict,
             WebhookVerdict::Verified);
    // A forger who knows the id still gets 401, not the 2xx of a duplicate.
    const WebhookHeaders forged{kId, secsText(clock),
                                "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="};
    QCOMPARE(verifier.verify(forged, kBody).verdict, WebhookVerdict::BadSignature);
}

void TestWebhookVerifier::replayMemoryExpiresAndIsBounded()
{
    FakeClock clock;
    WebhookVerifierOptions options;
    options.maxRememberedIds = 3;
    WebhookVerifier verifier(kSecret, clock, options);
    const WebhookHeaders first = signedHeaders(kSecret, "msg_0", secsText(clock), kBody);
    QCOMPARE(verifier.verify(first, kBody).verdict, WebhookVerdict::Verified);
    // Remembered until now + tolerance (300) + margin (300); a replay inside the window is caught.
    clock.advance(299s);
    QCOMPARE(verifier.verify(first, kBody).verdict, WebhookVerdict::Duplicate);
    // The same message later is stale anyway: nothing needs to be remembered past the window.
    clock.advance(2s);
    QCOMPARE(verifier.verify(first, kBody).verdict, WebhookVerdict::StaleTimestamp);
    clock.advance(300s);
    QCOMPARE(verifier.rememberedCount(), 0);

    // The cap: the oldest-expiring ids go first.
    for (int i = 1; i <= 5; ++i) {
        const QByteArray id = "msg_" + QByteArray::number(i);
        QCOMPARE(verifier.verify(signedHeaders(kSecret, id, secsText(clock), kBody), kBody).verdict,
                 WebhookVerdict::Verified);
        clock.advance(1s);
    }
    QCOMPARE(verifier.rememberedCount(), 3);
    QCOMPARE(
        verifier.verify(signedHeaders(kSecret, "msg_5", secsText(clock), kBody), kBody).verdict,
        WebhookVerdict::Duplicate);
    QCOMPARE(
        verifier.verify(signedHeaders(kSecret, "msg_1", secsText(clock), kBody), kBody).verdict,
        WebhookVerdict::Verified);
}

void TestWebhookVerifier::wrongSecret()
{
    FakeClock clock;
    WebhookVerifier verifier(QStringLiteral("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"), clock);
    QVERIFY(verifier.hasUsableSecret());
    const auto result = verifier.verify(signedHeaders(kSecret, kId, secsText(clock), kBody), kBody);
    QCOMPARE(result.verdict, WebhookVerdict::BadSignature);
    QCOMPARE(webhookHttpStatus(result.verdict), 401);
}

void TestWebhookVerifier::secretEncodings_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<bool>("usable");
    QTest::newRow("whsec_ prefix") << kSecret << true;
    // Standard Webhooks: the prefix is a convention; the reference libraries accept it missing.
    QTest::newRow("no prefix") << QStringLiteral("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") << true;
    const QJsonArray unpadded = loadJson(QStringLiteral("webhook-vectors.json"))
                                    .value(QStringLiteral("secret_encoding_verbatim"))
                                    .toObject()
                                    .value(QStringLiteral("unpadded_variants"))
                                    .toArray();
    for (const QJsonValue &v : unpadded)
        QTest::newRow(qPrintable(QStringLiteral("unpadded ") + v.toString()))
            << v.toString() << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("prefix only") << QStringLiteral("whsec_") << false;
    QTest::newRow("replicate invalid_secret_format")
        << QStringLiteral("invalid_secret_format") << false;
    QTest::newRow("not base64") << QStringLiteral("whsec_not base64!") << false;
    QTest::newRow("non-ASCII") << QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS\u00e9")
                               << false;
}

void TestWebhookVerifier::secretEncodings()
{
    QFETCH(QString, secret);
    QFETCH(bool, usable);
    FakeClock clock;
    WebhookVerifier verifier(secret, clock);
    QCOMPARE(verifier.hasUsableSecret(), usable);
    if (!usable) {
        QCOMPARE(verifier.verify({kId, secsText(clock), "v1,x"}, kBody).verdict,
                 WebhookVerdict::BadSecret);
        QVERIFY(!WebhookVerifier::decodeSecret(secret).ok());
        return;
    }
    // Round trip: what a sender signs with this secret verifies.
    QCOMPARE(verifier.verify(signedHeaders(secret, kId, secsText(clock), kBody), kBody).verdict,
             WebhookVerdict::Verified);
}

void TestWebhookVerifier::badSecretUntilReplaced()
{
    FakeClock clock;
    WebhookVerifier verifier(QStringLiteral("whsec_"), clock);
    const WebhookHeaders headers = signedHeaders(kSecret, kId, secsText(clock), kBody);
    const auto result = verifier.verify(headers, kBody);
    QCOMPARE(result.verdict, WebhookVerdict::BadSecret);
    QCOMPARE(webhookHttpStatus(result.verdict), 503);
    QVERIFY(!result.detail.contains(QStringLiteral("MfKQ")));
    QVERIFY(verifier.setSecret(kSecret).ok());
    QCOMPARE(verifier.verify(headers, kBody).verdict, WebhookVerdict::Verified);
    // A bad replacement makes it unusable again rather than keeping a key that was replaced.
    QVERIFY(!verifier.setSecret(QStringLiteral("bad_secret_format")).ok());
    QCOMPARE(verifier.verify(headers, kBody).verdict, WebhookVerdict::BadSecret);
}

void TestWebhookVerifier::missingOrMalformedHeaders_data()
{
    QTest::addColumn<int>("blank");
    QTest::addColumn<QByteArray>("timestamp");
    QTest::newRow("no webhook-id") << 0 << QByteArray();
    QTest::newRow("no webhook-timestamp") << 1 << QByteArray();
    QTest::newRow("no webhook-signature") << 2 << QByteArray();
    QTest::newRow("timestamp not digits") << -1 << QByteArray("1767225600.5");
    QTest::newRow("negative timestamp") << -1 << QByteArray("-1");
    QTest::newRow("timestamp too long") << -1 << QByteArray(40, '9');
}

void TestWebhookVerifier::missingOrMalformedHeaders()
{
    QFETCH(int, blank);
    QFETCH(QByteArray, timestamp);
    FakeClock clock;
    WebhookVerifier verifier(kSecret, clock);
    WebhookHeaders headers = signedHeaders(kSecret, kId, secsText(clock), kBody);
    if (blank == 0)
        headers.id.clear();
    else if (blank == 1)
        headers.timestamp.clear();
    else if (blank == 2)
        headers.signature.clear();
    else
        headers.timestamp = timestamp;
    const auto result = verifier.verify(headers, kBody);
    QCOMPARE(result.verdict, WebhookVerdict::MissingHeader);
    QCOMPARE(webhookHttpStatus(result.verdict), 400);
}

void TestWebhookVerifier::emptyBody()
{
    FakeClock clock;
    WebhookVerifier verifier(kSecret, clock);
    QCOMPARE(verifier.verify(signedHeaders(kSecret, kId, secsText(clock), {}), {}).verdict,
             WebhookVerdict::Verified);
    // A signature over an empty body does not cover a non-empty one.
    WebhookVerifier other(kSecret, clock);
    QCOMPARE(other.verify(signedHeaders(kSecret, kId, secsText(clock), {}), "x").verdict,
             WebhookVerdict::BadSignature);
}

void TestWebhookVerifier::oneMebibyteBody()
{
    FakeClock clock;
    QByteArray body(1024 * 1024, '\0');
    for (qsizetype i = 0; i < body.size(); ++i)
        body[i] = char(i * 131 % 251);
    const WebhookHeaders headers = signedHeaders(kSecret, kId, secsText(clock), body);
    WebhookVerifier verifier(kSecret, clock);
    QCOMPARE(verifier.verify(headers, body).verdict, WebhookVerdict::Verified);
    QByteArray flipped = body;
    flipped[body.size() / 2] = char(flipped[body.size() / 2] ^ 1);
    WebhookVerifier other(kSecret, clock);
    QCOMPARE(other.verify(headers, flipped).verdict, WebhookVerdict::BadSignature);
}

void TestWebhookVerifier::defaultSecretResponse()
{
    // What GET /v1/webhooks/default/secret returns: {"key": "whsec_..."}.
    const QString key = loadJson(QStringLiteral("webhook-default-secret.json"))
                            .value(QStringLiteral("key"))
                            .toString();
    QVERIFY(key.startsWith(QStringLiteral("whsec_")));
    const auto decoded = WebhookVerifier::decodeSecret(key);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded.value().size(), 24);
    FakeClock clock;
    WebhookVerifier verifier(key, clock);
    QCOMPARE(verifier.verify(signedHeaders(key, kId, secsText(clock), kBody), kBody).verdict,
             WebhookVerdict::Verified);
}

void TestWebhookVerifier::constantTimeComparison()
{
    QVERIFY(constantTimeEquals({}, {}));
    QVERIFY(constantTimeEquals("abc", "abc"));
    QVERIFY(!constantTimeEquals("abc", "abd"));
    QVERIFY(!constantTimeEquals("bbc", "abc"));
    QVERIFY(!constantTimeEquals("abc", "abcd"));
    QByteArray a(32, '\x5a');
    QByteArray b = a;
    b[31] = '\x5b';
    QVERIFY(!constantTimeEquals(a, b));
    b[31] = '\x5a';
    QVERIFY(constantTimeEquals(a, b));
}

void TestWebhookVerifier::statusAndNames()
{
    QCOMPARE(webhookHttpStatus(WebhookVerdict::Verified), 204);
    QCOMPARE(webhookHttpStatus(WebhookVerdict::Duplicate), 204);
    QCOMPARE(webhookHttpStatus(WebhookVerdict::MissingHeader), 400);
    QCOMPARE(webhookHttpStatus(WebhookVerdict::BadSignature), 401);
    QCOMPARE(webhookHttpStatus(WebhookVerdict::StaleTimestamp), 401);
    QCOMPARE(webhookVerdictName(WebhookVerdict::StaleTimestamp), QStringLiteral("stale_timestamp"));
    QCOMPARE(webhookVerdictName(WebhookVerdict::Duplicate), QStringLiteral("duplicate"));
}

QTEST_GUILESS_MAIN(TestWebhookVerifier)
#include "tst_webhookverifier.moc"
