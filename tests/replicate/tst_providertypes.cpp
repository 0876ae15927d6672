// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "core/provider/providertypes.h"

using namespace brieflow;

Q_DECLARE_METATYPE(brieflow::ModelRef::Kind)
Q_DECLARE_METATYPE(brieflow::PredictionStatus)
Q_DECLARE_METATYPE(brieflow::ProviderError::Kind)

namespace {
const QString kVersion =
    QStringLiteral("39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b");
}

class TestProviderTypes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesModelRefs_data();
    void parsesModelRefs();
    void rejectsOtherModelRefs_data();
    void rejectsOtherModelRefs();
    void statusNamesRoundTrip_data();
    void statusNamesRoundTrip();
    void unknownStatusIsRejected();
    void errorKindNames_data();
    void errorKindNames();
    void describeIsOneReadableLine();
    void describeNeverShowsATokenOrTheBody();
};

void TestProviderTypes::parsesModelRefs_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<ModelRef::Kind>("kind");
    QTest::addColumn<QString>("owner");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("canonical");

    const QString pinned = QStringLiteral("stability-ai/sdxl:") + kVersion;
    QTest::newRow("official model by name")
        << QStringLiteral("meta/meta-llama-3-8b-instruct") << ModelRef::Kind::Model
        << QStringLiteral("meta") << QStringLiteral("meta-llama-3-8b-instruct") << QString()
        << QStringLiteral("meta/meta-llama-3-8b-instruct");
    QTest::newRow("name with dots and underscores")
        << QStringLiteral("mistralai/mixtral-8x7b-instruct-v0.1") << ModelRef::Kind::Model
        << QStringLiteral("mistralai") << QStringLiteral("mixtral-8x7b-instruct-v0.1") << QString()
        << QStringLiteral("mistralai/mixtral-8x7b-instruct-v0.1");
    QTest::newRow("owner/name:version")
        << pinned << ModelRef::Kind::Version << QStringLiteral("stability-ai")
        << QStringLiteral("sdxl") << kVersion << pinned;
    QTest::newRow("bare version id")
        << kVersion << ModelRef::Kind::Version << QString() << QString() << kVersion << kVersion;
    QTest::newRow("uppercase version is lowered") << kVersion.toUpper() << ModelRef::Kind::Version
                                                  << QString() << QString() << kVersion << kVersion;
    QTest::newRow("deployment") << QStringLiteral("deployments/acme/my-app-image-generator")
                                << ModelRef::Kind::Deployment << QStringLiteral("acme")
                                << QStringLiteral("my-app-image-generator") << QString()
                                << QStringLiteral("deployments/acme/my-app-image-generator");
    QTest::newRow("surrounding spaces are trimmed")
        << QStringLiteral("  black-forest-labs/flux-schnell\n") << ModelRef::Kind::Model
        << QStringLiteral("black-forest-labs") << QStringLiteral("flux-schnell") << QString()
        << QStringLiteral("black-forest-labs/flux-schnell");
}

void TestProviderTypes::parsesModelRefs()
{
    QFETCH(QString, text);
    QFETCH(ModelRef::Kind, kind);
    QFETCH(QString, owner);
    QFETCH(QString, name);
    QFETCH(QString, version);
    QFETCH(QString, canonical);

    const std::optional<ModelRef> ref = ModelRef::parse(text);
    QVERIFY(ref);
    QVERIFY(ref->kind == kind);
    QCOMPARE(ref->owner, owner);
    QCOMPARE(ref->name, name);
    QCOMPARE(ref->version, version);
    QCOMPARE(ref->toString(), canonical);
    QCOMPARE(ModelRef::parse(ref->toString()), ref);
}

void TestProviderTypes::rejectsOtherModelRefs_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("name only") << QStringLiteral("sdxl");
    QTest::newRow("three segments") << QStringLiteral("a/b/c");
    QTest::newRow("trailing slash") << QStringLiteral("meta/");
    QTest::newRow("leading slash") << QStringLiteral("/meta/llama");
    QTest::newRow("short version") << QStringLiteral("nvidia/sana:c6b5d2b7");
    QTest::newRow("63-hex bare id") << kVersion.left(63);
    QTest::newRow("65-hex bare id") << kVersion + QLatin1Char('0');
    QTest::newRow("non-hex version") << QStringLiteral("a/b:") + QString(64, QLatin1Char('g'));
    QTest::newRow("empty version") << QStringLiteral("a/b:");
    QTest::newRow("deployment missing name") << QStringLiteral("deployments/acme");
    QTest::newRow("deployment with version") << QStringLiteral("deployments/acme/app:") + kVersion;
    QTest::newRow("space inside") << QStringLiteral("meta/llama 3");
    QTest::newRow("path traversal") << QStringLiteral("../predictions");
    QTest::newRow("dot-dot owner") << QStringLiteral("../x");
    QTest::newRow("query characters") << QStringLiteral("meta/llama?x=1");
    QTest::newRow("percent escape") << QStringLiteral("meta/llama%2F");
    QTest::newRow("url") << QStringLiteral("https://replicate.com/meta/llama");
    QTest::newRow("non-ascii letter") << QStringLiteral("m\u00e9ta/llama");
}

void TestProviderTypes::rejectsOtherModelRefs()
{
    QFETCH(QString, text);
    QVERIFY(!ModelRef::parse(text));
}

void TestProviderTypes::statusNamesRoundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<PredictionStatus>("status");
    QTest::addColumn<bool>("terminal");
    QTest::newRow("starting") << QStringLiteral("starting") << PredictionStatus::Starting << false;
    QTest::newRow("processing") << QStringLiteral("processing") << PredictionStatus::Processing
                                << false;
    QTest::newRow("succeeded") << QStringLiteral("succeeded") << PredictionStatus::Succeeded
                               << true;
    QTest::newRow("failed") << QStringLiteral("failed") << PredictionStatus::Failed << true;
    QTest::newRow("canceled") << QStringLiteral("canceled") << PredictionStatus::Canceled << true;
    QTest::newRow("aborted is terminal")
        << QStringLiteral("aborted") << PredictionStatus::Aborted << true;
}

void TestProviderTypes::statusNamesRoundTrip()
{
    QFETCH(QString, text);
    QFETCH(PredictionStatus, status);
    QFETCH(bool, terminal);
    QCOMPARE(toString(status), text);
    QVERIFY(predictionStatusFromString(text) == status);
    QCOMPARE(isTerminal(status), terminal);
}

void TestProviderTypes::unknownStatusIsRejected()
{
    QVERIFY(!predictionStatusFromString(u"queued"));
    QVERIFY(!predictionStatusFromString(u"Succeeded"));
    QVERIFY(!predictionStatusFromString(u"cancelled"));
    QVERIFY(!predictionStatusFromString(u""));
}

void TestProviderTypes::errorKindNames_data()
{
    using K = ProviderError::Kind;
    QTest::addColumn<ProviderError::Kind>("kind");
    QTest::addColumn<QString>("name");
    QTest::newRow("401") << K::Unauthenticated << QStringLiteral("unauthenticated");
    QTest::newRow("402") << K::InsufficientCredit << QStringLiteral("insufficient_credit");
    QTest::newRow("404") << K::NotFound << QStringLiteral("not_found");
    QTest::newRow("422") << K::InvalidInput << QStringLiteral("invalid_input");
    QTest::newRow("429") << K::RateLimited << QStringLiteral("rate_limited");
    QTest::newRow("5xx") << K::ServerError << QStringLiteral("server_error");
    QTest::newRow("network") << K::Network << QStringLiteral("network");
    QTest::newRow("timeout") << K::Timeout << QStringLiteral("timeout");
    QTest::newRow("malformed") << K::MalformedResponse << QStringLiteral("malformed_response");
    QTest::newRow("unknown outcome") << K::OutcomeUnknown << QStringLiteral("outcome_unknown");
    QTest::newRow("canceled") << K::Canceled << QStringLiteral("canceled");
    QTest::newRow("other http") << K::HttpError << QStringLiteral("http_error");
    QTest::newRow("refused locally") << K::InvalidRequest << QStringLiteral("invalid_request");
}

void TestProviderTypes::errorKindNames()
{
    QFETCH(ProviderError::Kind, kind);
    QFETCH(QString, name);
    QCOMPARE(toString(kind), name);
}

void TestProviderTypes::describeIsOneReadableLine()
{
    ProviderError error;
    error.kind = ProviderError::Kind::InvalidInput;
    error.httpStatus = 422;
    error.title = QStringLiteral("Input validation failed");
    error.detail = QStringLiteral("- input: prompt is required\n");
    error.invalidFields << InvalidField{QStringLiteral("required"), QStringLiteral("input"),
                                        QStringLiteral("prompt is required")};
    const QString text = error.describe();
    QCOMPARE(text, QStringLiteral("invalid_input: HTTP 422 Input validation failed - - input: "
                                  "prompt is required (invalid: input [required]: prompt is "
                                  "required)"));
    QVERIFY(!text.contains(QLatin1Char('\n')));

    ProviderError refused;
    refused.kind = ProviderError::Kind::Network;
    refused.detail = QStringLiteral("Connection refused");
    refused.mayHaveReachedServer = false;
    refused.attempts = 3;
    QCOMPARE(refused.describe(),
             QStringLiteral("network: Connection refused (after 3 attempts) (not sent)"));

    ProviderError limited;
    limited.kind = ProviderError::Kind::RateLimited;
    limited.httpStatus = 429;
    limited.retryAfter = std::chrono::seconds(10);
    QCOMPARE(limited.describe(), QStringLiteral("rate_limited: HTTP 429 (retry after 10000 ms)"));
}

void TestProviderTypes::describeNeverShowsATokenOrTheBody()
{
    ProviderError error;
    error.kind = ProviderError::Kind::Unauthenticated;
    error.httpStatus = 401;
    error.detail = QStringLiteral("token r8_AbCdEf0123456789xyz is not valid");
    error.rawBody = "secret body r8_AbCdEf0123456789xyz";
    const QString text = error.describe();
    QVERIFY2(!text.contains(QStringLiteral("r8_AbCdEf0123456789xyz")), qPrintable(text));
    QVERIFY(!text.contains(QStringLiteral("secret body")));
}

QTEST_GUILESS_MAIN(TestProviderTypes)
#include "tst_providertypes.moc"
