// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "core/replicate/modelschemaparser.h"
#include "tests/replicate/replicatetestdata.h"

using namespace brieflow;
using namespace brieflow::replicate;
using brieflow::test::replicateData;
using brieflow::test::utc;

namespace {

const InputProperty *find(const ModelVersion &version, const QString &name)
{
    for (const InputProperty &property : version.inputs) {
        if (property.name == name)
            return &property;
    }
    return nullptr;
}

} // namespace

class TestReplicateSchemaParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void imageModelVersion();
    void languageModelVersion();
    void modelWithLatestVersion();
    void modelWithoutVersions();
    void missingOrOddSchemasDegrade_data();
    void missingOrOddSchemasDegrade();
    void rejectsNonVersions();
};

void TestReplicateSchemaParser::imageModelVersion()
{
    const auto version =
        parseModelVersion(replicateData(QStringLiteral("version-get-sdxl-openapi-schema.json")));
    QVERIFY(version);
    QCOMPARE(version->id,
             QStringLiteral("39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b"));
    QCOMPARE(version->createdAt, utc(2023, 8, 11, 17, 0, 23, 916));
    QCOMPARE(version->cogVersion, QStringLiteral("0.8.5"));
    QVERIFY(version->hasSchema);
    QCOMPARE(version->output, OutputShape::FileList);
    QCOMPARE(version->inputs.size(), 17);

    QStringList order;
    for (const InputProperty &property : version->inputs)
        order << property.name;
    QCOMPARE(order.first(), QStringLiteral("prompt"));
    QCOMPARE(order.at(7), QStringLiteral("scheduler"));
    QCOMPARE(order.last(), QStringLiteral("lora_scale"));

    const InputProperty *scheduler = find(*version, QStringLiteral("scheduler"));
    QVERIFY(scheduler);
    QCOMPARE(toString(scheduler->type),
             toString(InputProperty::Type::String)); // from the $ref target
    QCOMPARE(scheduler->enumValues.size(), 7);
    QVERIFY(scheduler->enumValues.contains(QStringLiteral("K_EULER")));
    QCOMPARE(scheduler->defaultValue, QVariant(QStringLiteral("K_EULER")));
    QCOMPARE(scheduler->description, QStringLiteral("scheduler"));

    const InputProperty *loraScale = find(*version, QStringLiteral("lora_scale"));
    QVERIFY(loraScale);
    QCOMPARE(toString(loraScale->type), toString(InputProperty::Type::Number));
    QCOMPARE(loraScale->minimum, 0.0);
    QCOMPARE(loraScale->maximum, 1.0);
    QCOMPARE(loraScale->defaultValue.toDouble(), 0.6);
    QVERIFY(!loraScale->required);

    const InputProperty *outputs = find(*version, QStringLiteral("num_outputs"));
    QVERIFY(outputs);
    QCOMPARE(toString(outputs->type), toString(InputProperty::Type::Integer));
    QCOMPARE(outputs->defaultValue, QVariant::fromValue<qint64>(1));
    QCOMPARE(outputs->maximum, 4.0);

    const InputProperty *mask = find(*version, QStringLiteral("mask"));
    QVERIFY(mask);
    QCOMPARE(mask->format, QStringLiteral("uri"));
    QVERIFY(!mask->defaultValue.isValid());

    const InputProperty *watermark = find(*version, QStringLiteral("apply_watermark"));
    QVERIFY(watermark);
    QCOMPARE(toString(watermark->type), toString(InputProperty::Type::Boolean));
    QCOMPARE(watermark->defaultValue, QVariant(true));
    QCOMPARE(watermark->title, QStringLiteral("Apply Watermark"));
}

void TestReplicateSchemaParser::languageModelVersion()
{
    const auto version =
        parseModelVersion(replicateData(QStringLiteral("version-get-llama2-iterator-output.json")));
    QVERIFY(version);
    QCOMPARE(version->output, OutputShape::TextTokens);
    QCOMPARE(version->inputs.size(), 11);
    const InputProperty *prompt = find(*version, QStringLiteral("prompt"));
    QVERIFY(prompt);
    QVERIFY(prompt->required);
    const InputProperty *minTokens = find(*version, QStringLiteral("min_new_tokens"));
    QVERIFY(minTokens);
    QCOMPARE(minTokens->defaultValue, QVariant::fromValue<qint64>(-1));
    QCOMPARE(minTokens->minimum, -1.0);
    QVERIFY(!minTokens->maximum);
    QCOMPARE(find(*version, QStringLiteral("temperature"))->maximum, 5.0);
    QCOMPARE(find(*version, QStringLiteral("debug"))->defaultValue, QVariant(false));
}

void TestReplicateSchemaParser::modelWithLatestVersion()
{
    const auto model = parseModel(replicateData(QStringLiteral("model-get-sdxl.json")));
    QVERIFY(model);
    QCOMPARE(model->owner, QStringLiteral("stability-ai"));
    QCOMPARE(model->name, QStringLiteral("sdxl"));
    QCOMPARE(model->visibility, QStringLiteral("public"));
    QCOMPARE(model->runCount, 19361490);
    QCOMPARE(model->url, QUrl(QStringLiteral("https://replicate.com/stability-ai/sdxl")));
    QVERIFY(model->latestVersion);
    QVERIFY(model->latestVersion->hasSchema);
    QCOMPARE(model->latestVersion->inputs.size(), 19);
}

void TestReplicateSchemaParser::modelWithoutVersions()
{
    const auto model = parseModel(replicateData(QStringLiteral("model-get-no-versions.json")));
    QVERIFY(model);
    QCOMPARE(model->name, QStringLiteral("empty"));
    QVERIFY(model->description.isEmpty());
    QVERIFY(!model->latestVersion);
}

void TestReplicateSchemaParser::missingOrOddSchemasDegrade_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("hasSchema");
    QTest::addColumn<int>("inputs");
    QTest::newRow("null schema (cog dev)")
        << QByteArray(R"({"id":"v","cog_version":"dev","openapi_schema":null})") << false << 0;
    QTest::newRow("no schema member")
        << QByteArray(R"({"id":"v","cog_version":null})") << false << 0;
    QTest::newRow("schema without Input")
        << QByteArray(R"({"id":"v","openapi_schema":{"components":{"schemas":{}}}})") << false << 0;
    QTest::newRow("dangling $ref")
        << QByteArray(R"({"id":"v","openapi_schema":{"components":{"schemas":{"Input":{"properties":
           {"s":{"allOf":[{"$ref":"#/components/schemas/missing"}]}}}}}}})")
        << true << 1;
    QTest::newRow("property that is not an object")
        << QByteArray(R"({"id":"v","openapi_schema":{"components":{"schemas":{"Input":{"properties":
           {"a":3,"b":{"type":"string"}}}}}}})")
        << true << 1;
}

void TestReplicateSchemaParser::missingOrOddSchemasDegrade()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, hasSchema);
    QFETCH(int, inputs);
    const auto version = parseModelVersion(body);
    QVERIFY(version);
    QCOMPARE(version->hasSchema, hasSchema);
    QCOMPARE(version->inputs.size(), inputs);
    for (const InputProperty &property : version->inputs)
        QVERIFY(property.type == InputProperty::Type::Unknown
                || property.type == InputProperty::Type::String);
}

void TestReplicateSchemaParser::rejectsNonVersions()
{
    for (const QByteArray &body :
         {QByteArray(), QByteArray("[]"), QByteArray(R"({"id":""})"), QByteArray("{\"id\":")}) {
        const auto version = parseModelVersion(body);
        QVERIFY(!version);
        QCOMPARE(toString(version.error().kind), toString(ProviderError::Kind::MalformedResponse));
    }
    QVERIFY(!parseModel(R"({"owner":"a"})"));
}

QTEST_GUILESS_MAIN(TestReplicateSchemaParser)
#include "tst_replicateschemaparser.moc"
