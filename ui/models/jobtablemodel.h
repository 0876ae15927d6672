// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>

#include "core/store/records.h"

namespace brieflow {
class JobStore;
}

namespace brieflow::ui {

/**
 * The queue as a table: one row per job from the job store. Display text, status words and
 * colours are decided here, never in core. RawValueRole gives sortable raw values.
 */
class JobTableModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobTableModel)

public:
    enum Column { Product, Status, Step, Created, ColumnCount };
    enum Role { RawValueRole = Qt::UserRole, JobIdRole };

    /** @p store must outlive the model and live on the GUI thread. */
    explicit JobTableModel(JobStore &store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /** The last error from the store, empty when the last reload worked. */
    QString lastError() const { return m_lastError; }
    static QString statusText(JobStatus status);

public Q_SLOTS:
    /** Reads the jobs again from the store. */
    void reload();

Q_SIGNALS:
    void reloadFailed(const QString &message);

private:
    struct Row {
        JobRecord job;
        QString product;
    };

    JobStore &m_store;
    QList<Row> m_rows;
    QString m_lastError;
};

} // namespace brieflow::ui
