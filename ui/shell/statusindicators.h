// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QWidget>

#include "core/store/records.h"

class QLabel;

namespace brieflow::ui {

/**
 * The permanent part of the status bar: where requests go (demo / connected as … /
 * authentication problem / offline), a notice while the provider slows us down, and how many
 * jobs run, wait and failed. Each part is a word and an icon, never a colour alone.
 */
class StatusIndicators final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusIndicators)

public:
    enum class Connection { Unknown, Checking, Demo, Connected, AuthProblem, NoToken, Offline };

    explicit StatusIndicators(QWidget *parent = nullptr);

    void setConnection(Connection state, const QString &detail = {});
    Connection connection() const { return m_connection; }
    QString connectionText() const;

    void setCounts(const QHash<JobStatus, int> &counts);
    QString countsText() const;

    /** A passing notice (e.g. "Replicate asked us to slow down"); empty hides it. */
    void setNotice(const QString &notice);
    QString notice() const;

private:
    Connection m_connection = Connection::Unknown;
    QLabel *m_connectionIcon = nullptr;
    QLabel *m_connectionText = nullptr;
    QLabel *m_notice = nullptr;
    QLabel *m_counts = nullptr;
};

} // namespace brieflow::ui
