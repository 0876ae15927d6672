// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPair>
#include <QSet>
#include <QString>
#include <QUrl>

#include "core/sandbox/sandboxconfig.h"
#include "core/sandbox/sandboxserver.h"

namespace brieflow::sandbox::test {

/** One finished HTTP exchange as a test sees it. */
struct HttpResult {
    int status = 0; ///< 0: no HTTP answer
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers; ///< names lowercased
    bool timedOut = false;

    QByteArray header(const QByteArray &lowerName) const;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray jsonArray() const { return QJsonDocument::fromJson(body).array(); }
};

/**
 * Plain QNetworkAccessManager requests to a sandbox, as any client would send them (no Brieflow
 * client classes). Waits with QSignalSpy, so it needs the test's event loop and nothing else.
 */
class SandboxTestClient {
public:
    explicit SandboxTestClient(const SandboxServer &server);

    QString token = QStringLiteral("r8_sandbox_test_token");

    HttpResult get(const QString &pathOrUrl,
                   const QList<QPair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 5000);
    HttpResult post(const QString &pathOrUrl, const QByteArray &body,
                    const QList<QPair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 5000);
    HttpResult send(const QByteArray &method, const QString &pathOrUrl, const QByteArray &body,
                    const QList<QPair<QByteArray, QByteArray>> &headers, int timeoutMs,
                    bool authorize = true);

    /** Polls GET /v1/predictions/{id} until its status is terminal (or @p timeoutMs passes). */
    QJsonObject waitUntilDone(const QString &id, int timeoutMs = 5000);
    /** Polls until the status is @p status. */
    QJsonObject waitForStatus(const QString &id, const QString &status, int timeoutMs = 5000);

    QNetworkAccessManager &network() { return m_network; }
    QUrl url(const QString &pathOrUrl) const;

private:
    QString m_origin;
    QNetworkAccessManager m_network;
};

/** A recorded Replicate response from tests/data/replicate/. */
QByteArray recordedBody(const QString &name);
QJsonObject recordedJson(const QString &name);
/** The keys of @p object. */
QSet<QString> keys(const QJsonObject &object);
/** Lets the event loop run for @p ms (timers, sockets). */
void spin(int ms);

/** The test configuration with a fixed start time (2026-01-02 03:04:05 UTC). */
SandboxConfig testConfig(quint64 seed = 7);

} // namespace brieflow::sandbox::test
