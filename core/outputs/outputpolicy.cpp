// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "outputpolicy.h"

#include <QUrl>

namespace brieflow {

namespace {

bool isLoopbackName(const QString &host)
{
    return host == QLatin1String("127.0.0.1") || host == QLatin1String("::1")
           || host == QLatin1String("localhost");
}

OutputError refused(const QUrl &url, const QString &why)
{
    return makeOutputError(OutputError::Kind::Refused,
                           why + QStringLiteral(": ")
                               + url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
}

} // namespace

bool hostMatches(const QString &host, const QStringList &patterns)
{
    if (host.isEmpty())
        return false;
    for (const QString &raw : patterns) {
        const QString pattern = raw.trimmed().toLower();
        if (pattern.startsWith(QLatin1String("*."))) {
            const QStringView suffix = QStringView(pattern).mid(1); // ".example.com"
            if (suffix.size() > 1 && host.size() > suffix.size() && host.endsWith(suffix))
                return true;
        } else if (!pattern.isEmpty() && host == pattern) {
            return true;
        }
    }
    return false;
}

Result<void, OutputError> checkOutputUrl(const QUrl &url, const OutputPolicy &policy)
{
    if (!url.isValid() || url.isRelative())
        return fail(refused(url, QStringLiteral("not an absolute URL")));
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http"))
        return fail(refused(url, QStringLiteral("scheme not allowed")));
    if (!url.userInfo().isEmpty())
        return fail(refused(url, QStringLiteral("user info in URL")));
    const QString host = url.host(QUrl::EncodeUnicode).toLower();
    if (host.isEmpty())
        return fail(refused(url, QStringLiteral("no host")));

    if (policy.allowLoopback && isLoopbackName(host)) {
        const int port = url.port(scheme == QLatin1String("https") ? 443 : 80);
        if (policy.loopbackPorts.isEmpty()
            || policy.loopbackPorts.contains(static_cast<quint16>(port)))
            return {};
        return fail(refused(url, QStringLiteral("loopback port not allowed")));
    }
    if (scheme != QLatin1String("https"))
        return fail(refused(url, QStringLiteral("only https is allowed")));
    if (url.port() != -1 && url.port() != 443)
        return fail(refused(url, QStringLiteral("port not allowed")));
    if (!hostMatches(host, policy.allowedHosts))
        return fail(refused(url, QStringLiteral("host not on the allowlist")));
    return {};
}

} // namespace brieflow
