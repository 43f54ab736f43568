# language: fr
Fonctionnalité: Être aidé par le Chatbot
  Bon à savoir : « La création de mon espace est simple et rapide ! Je suis guidé tout au long
  de la démarche et le Chatbot peut lui aussi m'aider si j'ai des questions. »

  Règle: Le Chatbot répond aux questions sur la création du compte, ou dit qu'il ne sait pas

    @CHATBOT @bon_a_savoir
    Plan du scénario: Le Chatbot répond à une question sur la démarche
      Étant donné une personne qui a atteint l'étape « <étape> »
      Quand elle demande au Chatbot « <question> »
      Alors le Chatbot répond en citant « <réponse> »

      Exemples:
        | étape            | question                                                | réponse                            |
        | mot de passe     | Combien de caractères pour le mot de passe ?            | entre 8 et 24 caractères           |
        | état civil       | Sans numéro de sécurité sociale, comment me connecter ? | identifiant provisoire             |
        | pièce d'identité | Je n'ai pas de pièce d'identité française               | Je ne dispose pas d'une pièce d'identité française |

    @CHATBOT @bon_a_savoir
    Scénario: Le Chatbot dit quand il ne sait pas
      Étant donné une personne qui a atteint l'étape « état civil »
      Quand elle demande au Chatbot « Quel temps fera-t-il demain à Brest ? »
      Alors le Chatbot répond en citant « Je ne sais pas répondre à cette question. »
