// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QFile>
#include <QString>

namespace brieflow::test {

/** The path of a recorded response under tests/data/replicate. */
inline QString replicateDataPath(const QString &name)
{
    return QStringLiteral(BRIEFLOW_TEST_DATA_DIR "/replicate/") + name;
}

/** The bytes of a recorded response; empty (and a warning) if missing. */
inline QByteArray replicateData(const QString &name)
{
    QFile file(replicateDataPath(name));
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("missing test data %s", qPrintable(file.fileName()));
        return {};
    }
    return file.readAll();
}

/** A UTC date-time to the millisecond. */
inline QDateTime utc(int year, int month, int day, int hour, int minute, int second, int msec = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second, msec), Qt::UTC);
}

} // namespace brieflow::test
