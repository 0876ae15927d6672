// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandboxtestclient.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>

namespace brieflow::sandbox::test {

QByteArray HttpResult::header(const QByteArray &lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

SandboxTestClient::SandboxTestClient(const SandboxServer &server)
    : m_origin(server.origin())
{}

QUrl SandboxTestClient::url(const QString &pathOrUrl) const
{
    return QUrl(pathOrUrl.startsWith(QLatin1String("http")) ? pathOrUrl : m_origin + pathOrUrl);
}

HttpResult SandboxTestClient::get(const QString &pathOrUrl,
                                  const QList<QPair<QByteArray, QByteArray>> &headers,
                                  int timeoutMs)
{
    return send("GET", pathOrUrl, {}, headers, timeoutMs);
}

HttpResult SandboxTestClient::post(const QString &pathOrUrl, const QByteArray &body,
                                   const QList<QPair<QByteArray, QByteArray>> &headers,
                                   int timeoutMs)
{
    return send("POST", pathOrUrl, body, headers, timeoutMs);
}

HttpResult SandboxTestClient::send(const QByteArray &method, const QString &pathOrUrl,
                                   const QByteArray &body,
                                   const QList<QPair<QByteArray, QByteArray>> &headers,
                                   int timeoutMs, bool authorize)
{
    QNetworkRequest request(url(pathOrUrl));
    if (authorize && !token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    HttpResult result;
    if (!reply->isFinished() && !finished.wait(timeoutMs + 2000)) {
        result.timedOut = true;
        reply->abort();
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.error = reply->error();
    if (reply->isOpen())
        result.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        result.headers.append({pair.first.toLower(), pair.second});
    reply->deleteLater();
    return result;
}

QJsonObject SandboxTestClient::waitForStatus(const QString &id, const QString &status,
                                             int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QJsonObject last;
    while (!deadline.hasExpired()) {
        last = get(QStringLiteral("/v1/predictions/") + id).json();
        if (last.value(QStringLiteral("status")).toString() == status)
            return last;
        spin(5);
    }
    return last;
}

QJsonObject SandboxTestClient::waitUntilDone(const QString &id, int timeoutMs)
{
    static const QSet<QString> terminal = {QStringLiteral("succeeded"), QStringLiteral("failed"),
                                           QStringLiteral("canceled"), QStringLiteral("aborted")};
    QDeadlineTimer deadline(timeoutMs);
    QJsonObject last;
    while (!deadline.hasExpired()) {
        last = get(QStringLiteral("/v1/predictions/") + id).json();
        if (terminal.contains(last.value(QStringLiteral("status")).toString()))
            return last;
        spin(5);
    }
    return last;
}

QByteArray recordedBody(const QString &name)
{
    QFile file(QStringLiteral(BRIEFLOW_TEST_DATA_DIR "/replicate/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing recorded response %s", qPrintable(name));
    return file.readAll();
}

QJsonObject recordedJson(const QString &name)
{
    return QJsonDocument::fromJson(recordedBody(name)).object();
}

QSet<QString> keys(const QJsonObject &object)
{
    const QStringList list = object.keys();
    return QSet<QString>(list.cbegin(), list.cend());
}

void spin(int ms)
{
    QTest::qWait(ms);
}

SandboxConfig testConfig(quint64 seed)
{
    SandboxConfig config = SandboxConfig::forTests();
    config.seed = seed;
    config.startTime = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
    return config;
}

} // namespace brieflow::sandbox::test
