// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace brieflow::test {

/** The raw text/event-stream body of a recorded sse-*.json under tests/data/replicate. */
inline QByteArray sseRecording(const QString &name)
{
    QFile file(QStringLiteral(BRIEFLOW_TEST_DATA_DIR "/replicate/") + name);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("missing test data %s", qPrintable(file.fileName()));
        return {};
    }
    const QJsonObject wrapper = QJsonDocument::fromJson(file.readAll()).object();
    return wrapper.value(QLatin1String("body")).toString().toUtf8();
}

/** Every recorded stream we replay. */
inline QStringList sseRecordingNames()
{
    return {QStringLiteral("sse-comment-and-multiline-data.json"),
            QStringLiteral("sse-docs-output-example.json"),
            QStringLiteral("sse-ends-without-done.json"),
            QStringLiteral("sse-error-event.json"),
            QStringLiteral("sse-file-outputs.json"),
            QStringLiteral("sse-output-then-done.json")};
}

/** The same stream with every LF turned into CRLF or CR. */
inline QByteArray withLineEnding(QByteArray lf, const QByteArray &ending)
{
    return lf.replace("\n", ending);
}

/** Splits bytes into chunks at the given offsets (ascending). */
inline QList<QByteArray> splitAt(const QByteArray &bytes, const QList<qsizetype> &offsets)
{
    QList<QByteArray> chunks;
    qsizetype from = 0;
    for (const qsizetype at : offsets) {
        chunks.append(bytes.mid(from, at - from));
        from = at;
    }
    chunks.append(bytes.mid(from));
    return chunks;
}

} // namespace brieflow::test
