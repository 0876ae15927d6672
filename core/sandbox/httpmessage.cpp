// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpmessage.h"

#include <QHttpServerRequest>
#include <QMetaEnum>

namespace brieflow::sandbox {

HttpRequest HttpRequest::from(const QHttpServerRequest &request)
{
    HttpRequest r;
    const auto methodEnum = QMetaEnum::fromType<QHttpServerRequest::Method>();
    r.method = QByteArray(methodEnum.valueToKey(static_cast<int>(request.method()))).toUpper();
    const QUrl url = request.url();
    r.path = url.path(QUrl::FullyDecoded);
    r.query = QUrlQuery(url);
    const auto headers = request.headers();
    for (const auto &h : headers)
        r.headers.append({h.first.toLower(), h.second});
    r.body = request.body();
    const QByteArray connection = r.header("connection").toLower();
    r.keepAlive = !connection.contains("close");
    return r;
}

QByteArray HttpRequest::header(const QByteArray &lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

bool HttpRequest::hasHeader(const QByteArray &lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return true;
    }
    return false;
}

QString HttpRequest::line() const
{
    return QString::fromLatin1(method) + QLatin1Char(' ') + path;
}

HttpResponse HttpResponse::json(int status, QByteArray body)
{
    HttpResponse r;
    r.status = status;
    r.headers.append({QByteArray("Content-Type"), QByteArray("application/json")});
    r.body = std::move(body);
    return r;
}

HttpResponse HttpResponse::problem(int status, QByteArray body)
{
    HttpResponse r;
    r.status = status;
    r.headers.append({QByteArray("Content-Type"), QByteArray("application/problem+json")});
    r.body = std::move(body);
    return r;
}

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.append({name, value});
}

QByteArray HttpResponse::header(const QByteArray &lowerName) const
{
    for (const auto &h : headers) {
        if (h.first.toLower() == lowerName)
            return h.second;
    }
    return {};
}

QByteArray HttpResponse::serialize(bool keepAlive) const
{
    QByteArray out;
    out.reserve(body.size() + 256);
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &h : headers)
        out += h.first + ": " + h.second + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out +=
        keepAlive ? QByteArray("Connection: keep-alive\r\n") : QByteArray("Connection: close\r\n");
    out += "\r\n";
    out += body;
    return out;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Unknown";
    }
}

} // namespace brieflow::sandbox
