// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the benchmarks share: spinning the event loop until something happens, and
// `brieflow-cli sandbox` as a child process with its HTTP control surface. The benchmark's
// executable defines BRIEFLOW_CLI_BINARY (benchmarks/CMakeLists.txt).

#include <functional>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace brieflow::bench {

/** Runs the event loop until @p done returns true or @p timeoutMs passes; returns done(). */
inline bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    }
    return true;
}

/** `brieflow-cli sandbox` as a child process (its HTTP work never runs in the benchmark). */
class SandboxProcess {
public:
    /** Starts it with `--seed 42` and @p extraArguments; base is its API root once it listens. */
    bool start(const QStringList &extraArguments = {})
    {
        m_process.setProgram(QStringLiteral(BRIEFLOW_CLI_BINARY));
        m_process.setArguments(
            QStringList{QStringLiteral("sandbox"), QStringLiteral("--seed"), QStringLiteral("42")}
            + extraArguments);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return false;
        const bool ok = waitUntil(
            [this] {
                m_output += m_process.readAllStandardOutput();
                return m_output.contains("listening on");
            },
            10000);
        if (!ok)
            return false;
        const QByteArray line = m_output.mid(m_output.indexOf("http://")).trimmed();
        base = QUrl(QString::fromUtf8(line.left(line.indexOf('\n')).trimmed()));
        origin = base.adjusted(QUrl::RemovePath);
        return base.isValid();
    }
    ~SandboxProcess()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
    }

    /** A request to the sandbox's control surface (/__control, /__stats); the JSON answer. */
    QJsonObject call(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        QNetworkRequest request(origin.resolved(QUrl(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        QNetworkReply *reply =
            m_nam.sendCustomRequest(request, method, QJsonDocument(body).toJson());
        waitUntil([reply] { return reply->isFinished(); }, 10000);
        const QJsonObject out = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return out;
    }

    QUrl base;
    QUrl origin;

private:
    QProcess m_process;
    QByteArray m_output;
    QNetworkAccessManager m_nam;
};

} // namespace brieflow::bench
