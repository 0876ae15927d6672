// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The read side: models and versions with their Cog schemas, account, secret, hardware,
// deployments, the paginated prediction list and data removal after the TTL.
#include <QTest>
#include <QUrlQuery>

#include "core/sandbox/modelcatalog.h"
#include "core/sandbox/sandboxformat.h"
#include "core/sandbox/sandboxserver.h"
#include "sandboxtestclient.h"

using namespace brieflow::sandbox;
using namespace brieflow::sandbox::test;

namespace {

const QString CreateText = QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions");

QJsonObject schemas(const QJsonObject &version)
{
    return version.value(QStringLiteral("openapi_schema"))
        .toObject()
        .value(QStringLiteral("components"))
        .toObject()
        .value(QStringLiteral("schemas"))
        .toObject();
}

} // namespace

class TestSandboxCatalog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void modelGet();
    void versions();
    void imageModelSchema();
    void accountSecretHardwareDeployment();
    void listCursorFormat();
    void listPagination();
    void listDateFilters();
    void dataRemovedAfterTtl();

private:
    QStringList createMany(int count);

    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<SandboxTestClient> m_client;
};

void TestSandboxCatalog::init()
{
    m_server = std::make_unique<SandboxServer>(testConfig());
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_client = std::make_unique<SandboxTestClient>(*m_server);
}

void TestSandboxCatalog::cleanup()
{
    m_client.reset();
    m_server.reset();
}

QStringList TestSandboxCatalog::createMany(int count)
{
    QStringList ids;
    for (int i = 0; i < count; ++i) {
        const HttpResult r = m_client->post(CreateText, "{\"input\":{\"prompt\":\"n"
                                                            + QByteArray::number(i) + "\"}}");
        ids.append(r.json().value(QStringLiteral("id")).toString());
        m_server->advanceClock(1000); // one second apart
    }
    return ids;
}

void TestSandboxCatalog::modelGet()
{
    const HttpResult r = m_client->get(QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("ratelimit-remaining"), QByteArray("2999"));
    const QJsonObject m = r.json();
    QVERIFY(keys(m).contains(keys(recordedJson(QStringLiteral("model-get-sdxl.json")))));
    QCOMPARE(m.value(QStringLiteral("owner")).toString(), QStringLiteral("meta"));
    QCOMPARE(m.value(QStringLiteral("name")).toString(),
             QStringLiteral("meta-llama-3-8b-instruct"));
    const QJsonObject latest = m.value(QStringLiteral("latest_version")).toObject();
    QVERIFY(keys(latest).contains(
        keys(recordedJson(QStringLiteral("version-get-sdxl-openapi-schema.json")))));
    const QJsonObject s = schemas(latest);
    const QJsonObject input = s.value(QStringLiteral("Input")).toObject();
    QCOMPARE(input.value(QStringLiteral("required")).toArray(),
             QJsonArray{QStringLiteral("prompt")});
    for (const char *property : {"prompt", "system_prompt", "max_tokens", "temperature", "top_p"})
        QVERIFY2(
            input.value(QStringLiteral("properties")).toObject().contains(QLatin1String(property)),
            property);
    const QJsonObject output = s.value(QStringLiteral("Output")).toObject();
    // The same shape as the recorded language model's Output.
    QCOMPARE(output,
             schemas(recordedJson(QStringLiteral("version-get-llama2-iterator-output.json")))
                 .value(QStringLiteral("Output"))
                 .toObject());
    QCOMPARE(m_client->get(QStringLiteral("/v1/models/meta/nope")).status, 404);
}

void TestSandboxCatalog::versions()
{
    const QString base = QStringLiteral("/v1/models/black-forest-labs/flux-schnell/versions");
    const HttpResult list = m_client->get(base);
    QCOMPARE(list.status, 200);
    const QJsonObject page = list.json();
    QCOMPARE(keys(page), keys(recordedJson(QStringLiteral("predictions-list-page.json"))));
    const QJsonObject v = page.value(QStringLiteral("results")).toArray().at(0).toObject();
    const QString id = v.value(QStringLiteral("id")).toString();
    QCOMPARE(id.size(), 64);
    const HttpResult one = m_client->get(base + QLatin1Char('/') + id);
    QCOMPARE(one.status, 200);
    QCOMPARE(keys(one.json()),
             keys(recordedJson(QStringLiteral("version-get-sdxl-openapi-schema.json"))));
    QCOMPARE(one.json(), v);
    QCOMPARE(m_client->get(base + QStringLiteral("/undefined")).status, 404);
    // Running by that version id works.
    QCOMPARE(m_client
                 ->post(QStringLiteral("/v1/predictions"),
                        "{\"version\":\"" + id.toLatin1() + "\",\"input\":{\"prompt\":\"x\"}}")
                 .status,
             201);
}

void TestSandboxCatalog::imageModelSchema()
{
    const QJsonObject s =
        schemas(m_client->get(QStringLiteral("/v1/models/black-forest-labs/flux-schnell"))
                    .json()
                    .value(QStringLiteral("latest_version"))
                    .toObject());
    const QJsonObject props =
        s.value(QStringLiteral("Input")).toObject().value(QStringLiteral("properties")).toObject();
    // Enums go through allOf/$ref, as in the recorded SDXL schema.
    const QJsonObject ratio = props.value(QStringLiteral("aspect_ratio")).toObject();
    QCOMPARE(ratio.value(QStringLiteral("allOf"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("$ref"))
                 .toString(),
             QStringLiteral("#/components/schemas/aspect_ratio"));
    QCOMPARE(s.value(QStringLiteral("aspect_ratio"))
                 .toObject()
                 .value(QStringLiteral("enum"))
                 .toArray()
                 .size(),
             11);
    QCOMPARE(
        s.value(QStringLiteral("output_format")).toObject().value(QStringLiteral("enum")).toArray(),
        (QJsonArray{QStringLiteral("webp"), QStringLiteral("jpg"), QStringLiteral("png")}));
    const QJsonObject outputs = props.value(QStringLiteral("num_outputs")).toObject();
    QCOMPARE(outputs.value(QStringLiteral("minimum")).toInt(), 1);
    QCOMPARE(outputs.value(QStringLiteral("maximum")).toInt(), 4);
    for (const char *property :
         {"seed", "go_fast", "megapixels", "output_quality", "disable_safety_checker"})
        QVERIFY2(props.contains(QLatin1String(property)), property);
    QCOMPARE(s.value(QStringLiteral("Output")).toObject(),
             schemas(recordedJson(QStringLiteral("version-get-sdxl-openapi-schema.json")))
                 .value(QStringLiteral("Output"))
                 .toObject());
}

void TestSandboxCatalog::accountSecretHardwareDeployment()
{
    const QJsonObject secret = m_client->get(QStringLiteral("/v1/webhooks/default/secret")).json();
    QCOMPARE(keys(secret), keys(recordedJson(QStringLiteral("webhook-default-secret.json"))));
    QCOMPARE(secret.value(QStringLiteral("key")).toString(), m_server->webhookSecret());
    QVERIFY(m_server->webhookSecret().startsWith(QStringLiteral("whsec_")));
    const HttpResult hardware = m_client->get(QStringLiteral("/v1/hardware"));
    QCOMPARE(hardware.status, 200);
    QVERIFY(!hardware.jsonArray().isEmpty());
    const QJsonObject d =
        m_client->get(QStringLiteral("/v1/deployments/brieflow/demo-images")).json();
    QCOMPARE(keys(d), keys(recordedJson(QStringLiteral("deployment-get.json"))));
    QCOMPARE(d.value(QStringLiteral("current_release"))
                 .toObject()
                 .value(QStringLiteral("model"))
                 .toString(),
             ModelCatalog::imageModelName());
    QCOMPARE(m_client->get(QStringLiteral("/v1/models"))
                 .json()
                 .value(QStringLiteral("results"))
                 .toArray()
                 .size(),
             2);
}

void TestSandboxCatalog::listCursorFormat()
{
    // The recorded cursor decodes to DRF's "p=<timestamp>", and we write the same bytes back.
    const QString recorded =
        QStringLiteral("cD0yMDIyLTAxLTIxKzIzJTNBMTglM0EyNC41MzAzNTclMkIwMCUzQTAw");
    const auto cursor = decodeListCursor(recorded);
    QVERIFY(cursor);
    QCOMPARE(cursor->reverse, false);
    QCOMPARE(formatCursorTimestamp(cursor->positionNs),
             QStringLiteral("2022-01-21 23:18:24.530357+00:00"));
    QCOMPARE(encodeListCursor(cursor->positionNs, false), recorded);
    const auto back = decodeListCursor(encodeListCursor(cursor->positionNs, true));
    QVERIFY(back && back->reverse && back->positionNs == cursor->positionNs);
    QVERIFY(!decodeListCursor(QStringLiteral("!!!")));
}

void TestSandboxCatalog::listPagination()
{
    m_server->setPageSize(3);
    const QStringList ids = createMany(7);
    QStringList seen;
    QString url = QStringLiteral("/v1/predictions");
    QStringList nextLinks;
    int pages = 0;
    while (!url.isEmpty()) {
        const HttpResult r = m_client->get(url);
        QCOMPARE(r.status, 200);
        const QJsonObject page = r.json();
        QCOMPARE(keys(page), keys(recordedJson(QStringLiteral("predictions-list-page.json"))));
        const QJsonArray results = page.value(QStringLiteral("results")).toArray();
        QVERIFY(results.size() <= 3);
        for (const auto &item : results) {
            const QJsonObject p = item.toObject();
            seen.append(p.value(QStringLiteral("id")).toString());
            QVERIFY(!p.contains(QStringLiteral("logs")));
            QVERIFY(keys(p).contains(keys(recordedJson(QStringLiteral("predictions-list-page.json"))
                                              .value(QStringLiteral("results"))
                                              .toArray()
                                              .at(0)
                                              .toObject())));
        }
        const QJsonValue previous = page.value(QStringLiteral("previous"));
        QCOMPARE(previous.isNull(), pages == 0);
        url = page.value(QStringLiteral("next")).toString();
        if (!url.isEmpty()) {
            QVERIFY2(url.startsWith(m_server->origin() + QStringLiteral("/v1/predictions?cursor=")),
                     qPrintable(url));
            nextLinks.append(url);
        }
        ++pages;
    }
    QCOMPARE(pages, 3);
    QStringList newestFirst = ids;
    std::reverse(newestFirst.begin(), newestFirst.end());
    QCOMPARE(seen, newestFirst);

    // "previous" from the second page leads back to the first.
    const QJsonObject second = m_client->get(nextLinks.at(0)).json();
    const QJsonObject first =
        m_client->get(second.value(QStringLiteral("previous")).toString()).json();
    QCOMPARE(first.value(QStringLiteral("results"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("id"))
                 .toString(),
             newestFirst.at(0));
    QCOMPARE(first.value(QStringLiteral("results")).toArray().size(), 3);
    QVERIFY(first.value(QStringLiteral("previous")).isNull());
    QCOMPARE(first.value(QStringLiteral("next")).toString(), nextLinks.at(0));
}

void TestSandboxCatalog::listDateFilters()
{
    m_server->setPageSize(2);
    const QStringList ids = createMany(6);
    const auto createdAt = [this](const QString &id) {
        return m_server->prediction(id)->createdNs;
    };
    // [ids[1], ids[4]): after is inclusive, before exclusive.
    const QString after = formatTimestampMicro(createdAt(ids.at(1)));
    const QString before = formatTimestampMicro(createdAt(ids.at(4)));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("created_after"), after);
    query.addQueryItem(QStringLiteral("created_before"), before);
    QString url = QStringLiteral("/v1/predictions?") + query.query(QUrl::FullyEncoded);
    QStringList seen;
    while (!url.isEmpty()) {
        const QJsonObject page = m_client->get(url).json();
        for (const auto &item : page.value(QStringLiteral("results")).toArray())
            seen.append(item.toObject().value(QStringLiteral("id")).toString());
        url = page.value(QStringLiteral("next")).toString();
        if (!url.isEmpty())
            QVERIFY2(url.contains(QStringLiteral("created_after=")), qPrintable(url));
    }
    QCOMPARE(seen, (QStringList{ids.at(3), ids.at(2), ids.at(1)}));
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions?created_after=yesterday")).status, 400);
}

void TestSandboxCatalog::dataRemovedAfterTtl()
{
    const HttpResult r =
        m_client->post(QStringLiteral("/v1/models/black-forest-labs/flux-schnell/predictions"),
                       "{\"input\":{\"prompt\":\"x\"}}");
    const QString id = r.json().value(QStringLiteral("id")).toString();
    const QJsonObject done = m_client->waitUntilDone(id);
    const QString file = done.value(QStringLiteral("output")).toArray().at(0).toString();
    QCOMPARE(m_client->get(file).status, 200);
    m_server->advanceClock(3599 * 1000);
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions/") + id)
                 .json()
                 .value(QStringLiteral("data_removed"))
                 .toBool(),
             false);
    m_server->advanceClock(2000);
    const QJsonObject removed = m_client->get(QStringLiteral("/v1/predictions/") + id).json();
    QCOMPARE(removed.value(QStringLiteral("data_removed")).toBool(), true);
    QVERIFY(removed.value(QStringLiteral("input")).isNull());
    QVERIFY(removed.value(QStringLiteral("output")).isNull());
    QVERIFY(removed.value(QStringLiteral("logs")).isNull());
    QCOMPARE(removed.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(m_client->get(file).status, 404);
    // A shorter TTL applies to predictions that finish afterwards.
    m_server->setDataTtl(10 * 1000);
    const QString second =
        m_client->post(CreateText, "{\"input\":{\"prompt\":\"x\"}}", {{"Prefer", "wait"}})
            .json()
            .value(QStringLiteral("id"))
            .toString();
    m_server->advanceClock(11 * 1000);
    QCOMPARE(m_client->get(QStringLiteral("/v1/predictions/") + second)
                 .json()
                 .value(QStringLiteral("data_removed"))
                 .toBool(),
             true);
}

QTEST_GUILESS_MAIN(TestSandboxCatalog)
#include "tst_sandboxcatalog.moc"
