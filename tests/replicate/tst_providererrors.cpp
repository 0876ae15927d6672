// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "core/replicate/replicateerrors.h"
#include "tests/replicate/replicatetestdata.h"

using namespace brieflow;
using namespace brieflow::replicate;
using namespace std::chrono_literals;
using brieflow::test::replicateData;
using brieflow::test::utc;

Q_DECLARE_METATYPE(brieflow::ProviderError::Kind)

namespace {
const QDateTime kNow = utc(2026, 3, 1, 12, 0, 0);
}

class TestProviderErrors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void recordedErrorBodies_data();
    void recordedErrorBodies();
    void invalidFieldsAreKept();
    void nonJsonBodies_data();
    void nonJsonBodies();
    void retryAfterValues_data();
    void retryAfterValues();
    void headerAndBodyDelayTakeTheLonger();
    void networkFailures_data();
    void networkFailures();
    void createFailures_data();
    void createFailures();
    void redactionRemovesTheSecretEverywhere();
};

void TestProviderErrors::recordedErrorBodies_data()
{
    using K = ProviderError::Kind;
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("status");
    QTest::addColumn<ProviderError::Kind>("kind");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("detailStart");
    QTest::addColumn<int>("fields");
    QTest::addColumn<qint64>("retryAfterMs"); // -1: none

    QTest::newRow("401 invalid token")
        << "error-401-invalid-token.json" << 401 << K::Unauthenticated << "Unauthenticated"
        << "You did not pass a valid" << 0 << qint64(-1);
    QTest::newRow("401 no token") << "error-401-no-token.json" << 401 << K::Unauthenticated
                                  << "Unauthenticated"
                                  << "You did not pass an authentication" << 0 << qint64(-1);
    QTest::newRow("402 no status member") << "error-402-insufficient-credit.json" << 402
                                          << K::InsufficientCredit << "Insufficient credit"
                                          << "You have insufficient credit" << 0 << qint64(-1);
    QTest::newRow("404") << "error-404-not-found.json" << 404 << K::NotFound << ""
                         << "The requested resource could not be found." << 0 << qint64(-1);
    QTest::newRow("404 legacy") << "error-404-not-found-legacy.json" << 404 << K::NotFound << ""
                                << "Not found." << 0 << qint64(-1);
    QTest::newRow("404 trailing newline")
        << "error-404-training-destination.json" << 404 << K::NotFound << ""
        << "The specified training destination" << 0 << qint64(-1);
    QTest::newRow("422 enum") << "error-422-input-validation-enum.json" << 422 << K::InvalidInput
                              << "Input validation failed"
                              << "- input.output_format" << 1 << qint64(-1);
    QTest::newRow("422 two fields") << "error-422-input-validation-multiple.json" << 422
                                    << K::InvalidInput << "Input validation failed"
                                    << "- input: prompt is required" << 2 << qint64(-1);
    QTest::newRow("422 required") << "error-422-input-validation-required.json" << 422
                                  << K::InvalidInput << "Input validation failed"
                                  << "- input: prompt is required" << 1 << qint64(-1);
    QTest::newRow("422 invalid version")
        << "error-422-invalid-version.json" << 422 << K::InvalidInput
        << "Invalid version or not permitted"
        << "The specified version does not exist" << 0 << qint64(-1);
    QTest::newRow("422 body validation") << "error-422-request-body-validation.json" << 422
                                         << K::InvalidInput << "Input validation failed"
                                         << "- version is required" << 2 << qint64(-1);
    QTest::newRow("429 body retry_after")
        << "error-429-throttled.json" << 429 << K::RateLimited << ""
        << "Request was throttled." << 0 << qint64(10000);
    QTest::newRow("429 low-credit throttle")
        << "error-429-low-credit-throttle.json" << 429 << K::RateLimited << ""
        << "Request was throttled. Your rate limit" << 0 << qint64(5000);
}

void TestProviderErrors::recordedErrorBodies()
{
    QFETCH(QString, file);
    QFETCH(int, status);
    QFETCH(ProviderError::Kind, kind);
    QFETCH(QString, title);
    QFETCH(QString, detailStart);
    QFETCH(int, fields);
    QFETCH(qint64, retryAfterMs);

    const QByteArray body = replicateData(file);
    QVERIFY(!body.isEmpty());
    const ProviderError error = errorFromHttpResponse(status, body, {}, kNow);
    QCOMPARE(toString(error.kind), toString(kind));
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.title, title);
    QVERIFY2(error.detail.startsWith(detailStart), qPrintable(error.detail));
    QCOMPARE(error.invalidFields.size(), fields);
    QCOMPARE(error.retryAfter.has_value(), retryAfterMs >= 0);
    if (retryAfterMs >= 0)
        QCOMPARE(error.retryAfter->count(), retryAfterMs);
    QCOMPARE(error.rawBody, body);
    QVERIFY(error.mayHaveReachedServer);
    QVERIFY(error.describe().startsWith(toString(kind) + QStringLiteral(": HTTP ")));
}

void TestProviderErrors::invalidFieldsAreKept()
{
    const ProviderError error = errorFromHttpResponse(
        422, replicateData(QStringLiteral("error-422-input-validation-multiple.json")), {}, kNow);
    const QList<InvalidField> expected{
        {QStringLiteral("required"), QStringLiteral("input"), QStringLiteral("prompt is required")},
        {QStringLiteral("number_lte"), QStringLiteral("input.num_inference_steps"),
         QStringLiteral("Must be less than or equal to 4")},
    };
    QCOMPARE(error.invalidFields, expected);

    const ProviderError root = errorFromHttpResponse(
        422, replicateData(QStringLiteral("error-422-request-body-validation.json")), {}, kNow);
    QCOMPARE(root.invalidFields.at(1).type, QStringLiteral("additional_property_not_allowed"));
    QVERIFY(root.invalidFields.at(1).field.isEmpty());
}

void TestProviderErrors::nonJsonBodies_data()
{
    using K = ProviderError::Kind;
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<ProviderError::Kind>("kind");
    QTest::addColumn<QString>("detail");
    QTest::newRow("502 HTML from a proxy")
        << 502 << QByteArray("<html><body>502 Bad Gateway</body></html>\n") << K::ServerError
        << "<html><body>502 Bad Gateway</body></html>";
    QTest::newRow("503 empty") << 503 << QByteArray() << K::ServerError << "";
    QTest::newRow("500 truncated JSON")
        << 500 << QByteArray(R"({"detail":"bo)") << K::ServerError << R"({"detail":"bo)";
    QTest::newRow("400 other 4xx")
        << 400 << QByteArray(R"({"detail":"bad"})") << K::HttpError << "bad";
    QTest::newRow("409 other 4xx") << 409 << QByteArray() << K::HttpError << "";
    QTest::newRow("huge page is not copied to detail")
        << 500 << QByteArray(1000, 'x') << K::ServerError << "";
}

void TestProviderErrors::nonJsonBodies()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(ProviderError::Kind, kind);
    QFETCH(QString, detail);
    const ProviderError error = errorFromHttpResponse(status, body, {}, kNow);
    QCOMPARE(toString(error.kind), toString(kind));
    QCOMPARE(error.detail, detail);
    QCOMPARE(error.rawBody, body);
    QVERIFY(!error.retryAfter);
}

void TestProviderErrors::retryAfterValues_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("expectedMs"); // -1: none
    QTest::newRow("seconds") << QByteArray("10") << qint64(10000);
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("spaces") << QByteArray(" 3 ") << qint64(3000);
    QTest::newRow("fractional seconds") << QByteArray("1.5") << qint64(1500);
    QTest::newRow("HTTP-date 30 s ahead")
        << QByteArray("Sun, 01 Mar 2026 12:00:30 GMT") << qint64(30000);
    QTest::newRow("HTTP-date in the past")
        << QByteArray("Sun, 01 Mar 2026 11:00:00 GMT") << qint64(0);
    QTest::newRow("RFC 850 date, two-digit year")
        << QByteArray("Sunday, 01-Mar-26 12:01:00 GMT") << qint64(60000);
    QTest::newRow("wrong weekday is ignored")
        << QByteArray("Mon, 01 Mar 2026 12:00:02 GMT") << qint64(2000);
    QTest::newRow("asctime date") << QByteArray("Sun Mar  1 12:00:05 2026") << qint64(5000);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
    QTest::newRow("absurdly large") << QByteArray("1e30") << qint64(-1);
}

void TestProviderErrors::retryAfterValues()
{
    QFETCH(QByteArray, header);
    QFETCH(qint64, expectedMs);
    const auto delay = parseRetryAfter(header, kNow);
    QCOMPARE(delay.has_value(), expectedMs >= 0);
    if (expectedMs >= 0)
        QCOMPARE(delay->count(), expectedMs);

    const ProviderError error = errorFromHttpResponse(429, {}, header, kNow);
    QCOMPARE(toString(error.kind), toString(ProviderError::Kind::RateLimited));
    QCOMPARE(error.retryAfter, delay);
}

void TestProviderErrors::headerAndBodyDelayTakeTheLonger()
{
    const QByteArray body = replicateData(QStringLiteral("error-429-throttled.json")); // 10 s
    QCOMPARE(errorFromHttpResponse(429, body, "3", kNow).retryAfter, std::optional(10000ms));
    QCOMPARE(errorFromHttpResponse(429, body, "25", kNow).retryAfter, std::optional(25000ms));
    QCOMPARE(errorFromHttpResponse(429, body, "Sun, 01 Mar 2026 12:01:00 GMT", kNow).retryAfter,
             std::optional(60000ms));
    QCOMPARE(errorFromHttpResponse(429, body, "nonsense", kNow).retryAfter, std::optional(10000ms));
}

void TestProviderErrors::networkFailures_data()
{
    using K = ProviderError::Kind;
    using N = QNetworkReply;
    QTest::addColumn<QNetworkReply::NetworkError>("code");
    QTest::addColumn<ProviderError::Kind>("kind");
    QTest::addColumn<bool>("mayHaveReachedServer");
    QTest::newRow("connection refused: not sent")
        << N::ConnectionRefusedError << K::Network << false;
    QTest::newRow("host not found: not sent") << N::HostNotFoundError << K::Network << false;
    QTest::newRow("proxy refused: not sent")
        << N::ProxyConnectionRefusedError << K::Network << false;
    QTest::newRow("remote closed") << N::RemoteHostClosedError << K::Network << true;
    QTest::newRow("TLS handshake failed (conservative)")
        << N::SslHandshakeFailedError << K::Network << true;
    QTest::newRow("transfer timeout") << N::OperationCanceledError << K::Timeout << true;
    QTest::newRow("socket timeout") << N::TimeoutError << K::Timeout << true;
    QTest::newRow("temporary failure") << N::TemporaryNetworkFailureError << K::Network << true;
    QTest::newRow("protocol failure") << N::ProtocolFailure << K::Network << true;
}

void TestProviderErrors::networkFailures()
{
    QFETCH(QNetworkReply::NetworkError, code);
    QFETCH(ProviderError::Kind, kind);
    QFETCH(bool, mayHaveReachedServer);
    const ProviderError error = errorFromNetworkFailure(code, QStringLiteral("text"));
    QCOMPARE(toString(error.kind), toString(kind));
    QCOMPARE(error.mayHaveReachedServer, mayHaveReachedServer);
    QCOMPARE(error.httpStatus, 0);
    QCOMPARE(error.detail, QStringLiteral("text"));
}

void TestProviderErrors::createFailures_data()
{
    using K = ProviderError::Kind;
    QTest::addColumn<ProviderError::Kind>("kind");
    QTest::addColumn<bool>("sent");
    QTest::addColumn<ProviderError::Kind>("expected");
    QTest::newRow("5xx: unknown") << K::ServerError << true << K::OutcomeUnknown;
    QTest::newRow("timeout: unknown") << K::Timeout << true << K::OutcomeUnknown;
    QTest::newRow("reset: unknown") << K::Network << true << K::OutcomeUnknown;
    QTest::newRow("unreadable 2xx: unknown") << K::MalformedResponse << true << K::OutcomeUnknown;
    QTest::newRow("aborted in flight: unknown") << K::Canceled << true << K::OutcomeUnknown;
    QTest::newRow("aborted before sending: canceled") << K::Canceled << false << K::Canceled;
    QTest::newRow("refused: stays network") << K::Network << false << K::Network;
    QTest::newRow("429: definite") << K::RateLimited << true << K::RateLimited;
    QTest::newRow("422: definite") << K::InvalidInput << true << K::InvalidInput;
    QTest::newRow("401: definite") << K::Unauthenticated << true << K::Unauthenticated;
    QTest::newRow("402: definite") << K::InsufficientCredit << true << K::InsufficientCredit;
    QTest::newRow("404: definite") << K::NotFound << true << K::NotFound;
    QTest::newRow("other 4xx: definite") << K::HttpError << true << K::HttpError;
    QTest::newRow("refused locally") << K::InvalidRequest << false << K::InvalidRequest;
}

void TestProviderErrors::createFailures()
{
    QFETCH(ProviderError::Kind, kind);
    QFETCH(bool, sent);
    QFETCH(ProviderError::Kind, expected);
    ProviderError error;
    error.kind = kind;
    error.mayHaveReachedServer = sent;
    error.httpStatus = kind == ProviderError::Kind::ServerError ? 503 : 0;
    error.detail = QStringLiteral("cause");
    error.rawBody = "body";
    const ProviderError result = asCreateFailure(error);
    QCOMPARE(toString(result.kind), toString(expected));
    QCOMPARE(result.httpStatus, error.httpStatus);
    QCOMPARE(result.rawBody, error.rawBody);
    if (expected == ProviderError::Kind::OutcomeUnknown) {
        QVERIFY(result.mayHaveReachedServer);
        QVERIFY2(result.detail.contains(toString(kind)), qPrintable(result.detail));
        QVERIFY(result.detail.endsWith(QStringLiteral("cause")));
    }
}

void TestProviderErrors::redactionRemovesTheSecretEverywhere()
{
    const QString token = QStringLiteral("canary-T0KEN-4f9c2e");
    ProviderError error = errorFromHttpResponse(
        422,
        R"({"title":"Bad canary-T0KEN-4f9c2e","detail":"token canary-T0KEN-4f9c2e rejected",
            "invalid_fields":[{"type":"x","field":"canary-T0KEN-4f9c2e","description":"canary-T0KEN-4f9c2e"}]})",
        {}, kNow);
    redactSecret(error, token);
    QVERIFY(!error.title.contains(token));
    QVERIFY(!error.detail.contains(token));
    QVERIFY(!error.rawBody.contains(token.toUtf8()));
    QVERIFY(!error.invalidFields.first().field.contains(token));
    QVERIFY(!error.invalidFields.first().description.contains(token));
    QVERIFY(!error.describe().contains(token));
    QVERIFY(error.detail.contains(QStringLiteral("[redacted]")));
}

QTEST_GUILESS_MAIN(TestProviderErrors)
#include "tst_providererrors.moc"
