// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCryptographicHash>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

// Test-only direct access to a database file, to look behind JobStore's back (sqlite_master,
// PRAGMAs) or to prepare broken files. Not for production code: all SQL of the app lives in
// core/store.

namespace brieflow::test {

class RawDatabase {
public:
    explicit RawDatabase(const QString &file)
        : m_name(QStringLiteral("raw-") + QString::number(++s_counter))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(file);
        m_ok = db.open();
    }
    ~RawDatabase()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    RawDatabase(const RawDatabase &) = delete;
    RawDatabase &operator=(const RawDatabase &) = delete;

    bool isOpen() const { return m_ok; }

    /** Runs @p sql; returns column @p index of every row, or "ERROR: ..." on failure. */
    QStringList column(const QString &sql, int index = 0) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        if (!query.exec(sql))
            return {QStringLiteral("ERROR: ") + query.lastError().text()};
        QStringList values;
        while (query.next())
            values << query.value(index).toString();
        return values;
    }
    bool exec(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        return query.exec(sql);
    }

private:
    static inline int s_counter = 0;
    QString m_name;
    bool m_ok = false;
};

inline QByteArray fileSha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex();
}

} // namespace brieflow::test
