// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

class QHttpServerRequest;

namespace brieflow::sandbox {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

/**
 * A request copied out of QHttpServerRequest, which QAbstractHttpServer reuses for the next
 * request on the same connection, so that it can be answered later (Prefer: wait, delays).
 * Header names are lowercased.
 */
struct HttpRequest {
    QByteArray method; ///< "GET", "POST", …
    QString path;      ///< decoded, without the query
    QUrlQuery query;
    HttpHeaders headers;
    QByteArray body;
    bool keepAlive = true;

    static HttpRequest from(const QHttpServerRequest &request);
    /** The first value of header @p lowerName, empty if absent. */
    QByteArray header(const QByteArray &lowerName) const;
    bool hasHeader(const QByteArray &lowerName) const;
    /** "POST /v1/predictions": what fault rules and statistics match against. */
    QString line() const;
};

/** A complete HTTP/1.1 answer; serialize() adds the status line and Content-Length. */
struct HttpResponse {
    int status = 200;
    HttpHeaders headers;
    QByteArray body;

    /** application/json */
    static HttpResponse json(int status, QByteArray body);
    /** application/problem+json, the type of every Replicate error */
    static HttpResponse problem(int status, QByteArray body);
    void setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(const QByteArray &lowerName) const;

    /** The bytes on the wire; "Connection: close" when @p keepAlive is false. */
    QByteArray serialize(bool keepAlive) const;
};

/** "OK", "Created", "Too Many Requests", … */
QByteArray reasonPhrase(int status);

} // namespace brieflow::sandbox
