# language: fr
Fonctionnalité: Être guidé, et aidé par le Chatbot
  Bon à savoir : « La création de mon espace est simple et rapide ! Je suis guidé tout au long
  de la démarche et le Chatbot peut lui aussi m'aider si j'ai des questions. »

  Règle: La personne sait à chaque page à quelle étape elle en est

    @GUIDAGE @bon_a_savoir
    Scénario: Chaque étape du parcours est indiquée
      Étant donné une personne qui commence la création de son compte
      Alors le parcours est à l'étape « état civil »
      Quand elle renseigne correctement son état civil
      Alors le parcours est à l'étape « pièce d'identité »
      Quand elle renseigne correctement son titre d'identité
      Alors le parcours est à l'étape « coordonnées de contact »
      Quand elle demande un code pour son adresse e-mail
      Alors le parcours est à l'étape « code de confirmation »
      Quand elle saisit le code reçu
      Alors le parcours est à l'étape « mot de passe »
      Quand elle choisit le mot de passe « Abcdefghij12 »
      Alors le parcours est à l'étape « récapitulatif »

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
        | pièce d'identité | Je n'ai pas de pièce d'identité française               | pièce d'identité française         |

    @CHATBOT @bon_a_savoir
    Scénario: Le Chatbot dit quand il ne sait pas
      Étant donné une personne qui a atteint l'étape « état civil »
      Quand elle demande au Chatbot « Quel temps fera-t-il demain à Brest ? »
      Alors le Chatbot répond en citant « Je ne sais pas répondre à cette question. »
